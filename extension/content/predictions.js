/*
 * ImageMonkey in-page UI: the "What does ImageMonkey see?" panel, next to the picture. Injected
 * after content/panel.js and registered as its view for mode "predict": shown first while the
 * server looks ({state: "working"}), then filled with the worker's result (lib/predict.js): bars
 * with probabilities, the model line, "Donate with these labels" and "Label and donate…".
 */
(() => {
  const ui = globalThis.__imagemonkeyUI;
  if (!ui || ui.views.predict) return;
  const { el, donateFrom, resultView, place, mountPanel, closePanel, thumbSrc } = ui.kit;

  ui.kit.addStyle(`
    .panel.predict { width: min(420px, calc(100vw - 16px)); }
    .predict .right { display: flex; flex-direction: column; gap: 6px; }
    .predict .notice { margin: 0; }
    .bars { list-style: none; margin: 0; padding: 0; display: grid; gap: 5px; }
    .bars li { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 2px 8px; align-items: baseline; font-size: 13px; }
    .bars .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .bars .pct { font-variant-numeric: tabular-nums; color: #5b6578; }
    .bars .track { grid-column: 1 / -1; height: 6px; border-radius: 3px; background: #eef1f6; overflow: hidden; }
    .bars .fill { display: block; height: 100%; border-radius: 3px; background: #9aa6bb; }
    .bars li.picked .name { font-weight: 650; }
    .bars li.picked .fill { background: #c2571a; }
    .model, .picked-line { margin: 0; font-size: 12px; color: #5b6578; }
    .predict footer { flex-wrap: wrap; }
    .predict footer:empty { display: none; }
    .predict footer button { flex: 1 1 auto; font-size: 13px; padding: 6px 12px; }  /* full width once they wrap */
    @media (prefers-color-scheme: dark) {
      .bars .track { background: #2a3040; } .bars .pct, .model, .picked-line { color: #a9b3c7; }
    }`);

  let current = null;  // the open predictions panel: {srcUrl, box, fill(result)}

  function build(data) {
    const s = data.strings;
    const right = el("div", { class: "right" });
    const status = el("div", { class: "status", role: "status", "aria-live": "polite" });
    const footer = el("footer", {});
    const closeBtn = el("button", { class: "close", type: "button", "aria-label": s.panelClose, text: "×",
      onclick: () => closePanel() });
    const thumb = el("img", { class: "thumb", alt: "" });
    const box = el("div", { class: "box panel predict", role: "dialog", "aria-labelledby": "im-predict-title",
      "data-state": "working", "aria-busy": "true" },
    el("header", {}, el("div", { class: "mark", "aria-hidden": "true", text: "iM" }),
      el("h2", { id: "im-predict-title", text: s.predictTitle }), closeBtn),
    el("div", { class: "body" }, thumb, right), status, footer);
    right.append(el("p", { class: "model", text: s.predictWorking }));
    mountPanel(box, data.srcUrl);
    thumb.src = thumbSrc(data.srcUrl);
    closeBtn.focus();

    function fill(result) {
      box.removeAttribute("aria-busy");
      if (!result.ok) {
        box.dataset.state = "error";
        right.replaceChildren(el("p", { class: "notice", text: result.message }));  // calm: not an alarm
        const { actions } = resultView(result, s, closePanel);
        if (actions.childElementCount) right.append(actions);
        place();
        return;
      }
      box.dataset.state = "ready";
      const bars = el("ul", { class: "bars", "aria-label": s.predictTitle });
      bars.append(...result.bars.map((bar) => {
        const level = el("span", { class: "fill" });
        level.style.width = bar.percent;  // CSSOM, not a style attribute: allowed under a page's CSP
        return el("li", { class: bar.picked ? "picked" : "", "data-label": bar.label, "data-probability": String(bar.probability) },
          el("span", { class: "name", text: bar.label }), el("span", { class: "pct", text: bar.percent }),
          el("span", { class: "track", "aria-hidden": "true" }, level));
      }));
      right.replaceChildren(result.bars.length ? bars : el("p", { class: "model", text: s.predictNothing }));
      if (result.modelLine) right.append(el("p", { class: "model", text: result.modelLine }));
      if (result.labels.length) right.append(el("p", { class: "picked-line", text: `${s.predictPicked} ${result.labels.join(", ")}` }));
      const labelBtn = el("button", { class: "secondary label", type: "button", text: s.predictLabel,
        onclick: () => ui.show({ ...data, mode: "panel", labels: result.labels }) });
      const donateBtn = el("button", { class: "primary donate", type: "button", text: s.predictDonate });
      donateBtn.disabled = !result.labels.length;
      donateBtn.addEventListener("click", () => donate(result.labels, donateBtn, labelBtn));
      footer.replaceChildren(labelBtn, donateBtn);
      place();
      donateBtn.focus();
    }

    async function donate(labels, donateBtn, labelBtn) {
      donateBtn.disabled = true;
      labelBtn.disabled = true;
      box.dataset.state = "working";
      status.className = "status";
      status.textContent = s.panelDonating;
      const result = await donateFrom(data, labels);
      const { text, actions } = resultView(result, s, closePanel);
      status.className = `status ${result.ok ? "ok" : "error"}`;
      status.replaceChildren(el("div", { text }));
      if (actions.childElementCount) status.append(actions);
      box.dataset.state = result.ok ? "done" : "error";
      box.dataset.imageId = result.image?.id ?? "";
      donateBtn.hidden = labelBtn.hidden = result.ok;
      donateBtn.disabled = labelBtn.disabled = false;
      (actions.querySelector("button") ?? (result.ok ? closeBtn : donateBtn)).focus();
      place();
    }

    return { srcUrl: data.srcUrl, box, fill };
  }

  ui.views.predict = (data) => {
    if (data.result && current?.srcUrl === data.srcUrl) {
      if (current.box.isConnected) current.fill(data.result);  // closed while the server looked: stays closed
      return;
    }
    current = build(data);
    if (data.result) current.fill(data.result);
  };
})();
