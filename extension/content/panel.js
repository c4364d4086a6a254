/*
 * ImageMonkey in-page UI: the "Label and donate" panel and the result toast.
 * Injected on demand by the service worker (chrome.scripting), never declared
 * as a content script. Everything lives in one Shadow DOM host, so page styles
 * cannot reach it and its styles cannot leak into the page. Other views (e.g.
 * content/predictions.js) register in `__imagemonkeyUI.views` and build on `kit`.
 */
(() => {
  if (globalThis.__imagemonkeyUI) return;
  const ext = globalThis.browser ?? globalThis.chrome;

  const CSS = `
    :host { all: initial; }
    * { box-sizing: border-box; }
    .box { position: fixed; z-index: 2147483647; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      color: #1d2330; background: #fff; border: 1px solid #c9d0dc; border-radius: 12px;
      box-shadow: 0 10px 30px rgba(20, 30, 50, .25); }
    .panel { width: 340px; padding: 12px; }
    .toast { width: 300px; padding: 10px 12px; display: flex; gap: 8px; align-items: flex-start; }
    header { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; }
    h2 { font-size: 15px; margin: 0; flex: 1; font-weight: 650; }
    .close { border: 0; background: transparent; font-size: 20px; line-height: 1; cursor: pointer; color: #5b6578; padding: 2px 6px; border-radius: 6px; }
    .close:hover, .close:focus-visible { background: #eef1f6; }
    .body { display: flex; gap: 10px; }
    .thumb { width: 84px; height: 84px; object-fit: cover; border-radius: 8px; background: #eef1f6; flex: none; }
    .right { flex: 1; min-width: 0; }
    .chips { list-style: none; margin: 0 0 6px; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; }
    .chips li { display: inline-flex; align-items: center; gap: 2px; background: #e7efff; color: #17306b; border-radius: 999px; padding: 2px 4px 2px 10px; font-size: 13px; }
    .chips button { border: 0; background: transparent; cursor: pointer; font-size: 14px; color: #17306b; border-radius: 999px; width: 20px; height: 20px; padding: 0; }
    .chips button:hover, .chips button:focus-visible { background: #c9dafd; }
    .combo { position: relative; }
    input { width: 100%; font: inherit; color: inherit; background: #fff; padding: 6px 8px; border: 1px solid #aab4c5; border-radius: 8px; }
    input:focus { outline: 2px solid #c2571a; outline-offset: 0; border-color: #c2571a; }
    [role=listbox] { position: absolute; left: 0; right: 0; top: 100%; margin: 2px 0 0; padding: 4px; list-style: none; background: #fff;
      border: 1px solid #c9d0dc; border-radius: 8px; box-shadow: 0 6px 18px rgba(20, 30, 50, .2); max-height: 220px; overflow: auto; z-index: 1; }
    [role=option] { padding: 5px 8px; border-radius: 6px; cursor: pointer; }
    [role=option][aria-selected=true] { background: #c2571a; color: #fff; }
    [role=option] small { opacity: .75; margin-left: 6px; }
    .hint { margin: 6px 0 0; font-size: 12px; color: #5b6578; }
    .status { min-height: 0; margin: 8px 0 0; font-size: 13px; }
    .status:empty { display: none; }
    .status.ok { color: #1c6b34; }
    .status.error { color: #a42020; }
    footer { display: flex; justify-content: flex-end; gap: 8px; margin-top: 10px; }
    button.primary, button.secondary { font: inherit; border-radius: 8px; padding: 6px 14px; cursor: pointer; border: 1px solid #c2571a; }
    button.primary { background: #c2571a; color: #fff; font-weight: 600; }
    button.secondary { background: #fff; color: #c2571a; }
    button:disabled { opacity: .6; cursor: default; }
    button:focus-visible { outline: 2px solid #c2571a; outline-offset: 2px; }
    .toast .msg { flex: 1; }
    .toast .actions { margin-top: 6px; display: flex; gap: 6px; }
    .mark { flex: none; width: 22px; height: 22px; border-radius: 6px; background: #c2571a; color: #fff; font-weight: 800; font-size: 11px; display: grid; place-items: center; }
    @media (prefers-color-scheme: dark) {
      .box, input, [role=listbox], button.secondary { background: #1e2330; color: #e8ecf4; border-color: #3a4254; }
      .chips li { background: #2a3a63; color: #dbe6ff; } .chips button { color: #dbe6ff; }
      .hint, .close { color: #a9b3c7; } .status.ok { color: #7fd69a; } .status.error { color: #ff9b9b; }
    }`;

  const styles = [CSS];  // the views' styles too (kit.addStyle), so a new host gets them all
  let host = null;
  let shadow = null;
  let panel = null;
  let toast = null;
  let toastTimer = null;
  let anchor = null;
  let returnFocus = null;

  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    node.append(...children);
    return node;
  };

  function ensureHost() {
    if (host?.isConnected) return;
    host = document.createElement("imagemonkey-ui");
    host.style.setProperty("all", "initial", "important");
    host.style.setProperty("position", "fixed", "important");
    host.style.setProperty("top", "0", "important");
    host.style.setProperty("left", "0", "important");
    host.style.setProperty("width", "0", "important");
    host.style.setProperty("height", "0", "important");
    host.style.setProperty("z-index", "2147483647", "important");
    host.style.setProperty("display", "block", "important");
    shadow = host.attachShadow({ mode: "open" });
    shadow.append(...styles.map((css) => el("style", { text: css })));
    // Keys typed in our UI are ours: the page's shortcuts must not see them.
    for (const type of ["keydown", "keyup", "keypress"]) shadow.addEventListener(type, (e) => e.stopPropagation());
    document.documentElement.append(host);
    addEventListener("scroll", place, { passive: true, capture: true });
    addEventListener("resize", place, { passive: true });
  }

  function findImage(srcUrl) {
    const abs = (u) => { try { return new URL(u, document.baseURI).href; } catch { return u; } };
    const target = abs(srcUrl || "");
    const imgs = [...document.images];
    return imgs.find((i) => i.currentSrc === target) || imgs.find((i) => abs(i.getAttribute("src") || "") === target) || null;
  }

  function place() {
    for (const box of [panel, toast]) {
      if (!box) continue;
      const w = box.offsetWidth;
      const h = box.offsetHeight;
      const vw = document.documentElement.clientWidth || innerWidth;
      const vh = document.documentElement.clientHeight || innerHeight;
      let left = vw - w - 16;
      let top = 16;
      const r = anchor?.isConnected ? anchor.getBoundingClientRect() : null;
      if (r && r.width && r.bottom > 0 && r.top < vh) {
        if (r.right + 12 + w <= vw) left = r.right + 12;
        else if (r.left - 12 - w >= 0) left = r.left - 12 - w;
        else left = r.left + 8;
        top = box === toast ? Math.max(r.top, 8) : r.top;
      }
      box.style.left = `${Math.max(8, Math.min(left, vw - w - 8))}px`;
      box.style.top = `${Math.max(8, Math.min(top, vh - h - 8))}px`;
    }
  }

  const send = (msg) => ext.runtime.sendMessage(msg);
  /** Ask the worker to donate the picture with `labels`; a failed message reads as an internal error. */
  const donateFrom = (data, labels) => send({ type: "imagemonkey:donate", srcUrl: data.srcUrl, pageUrl: data.pageUrl, labels })
    .catch((err) => ({ ok: false, code: "internal", message: String(err?.message ?? err) }));

  function resultView(result, s, onClose) {
    const duplicate = result.labels?.length ? s.resultDuplicate : s.resultDuplicateNoLabels;  // say "added" only when labels were given
    const text = result.ok ? (result.status === "duplicate" ? duplicate : s.resultDonated) : result.message;
    const actions = el("div", { class: "actions" });
    if (result.ok && result.editorUrl) {
      actions.append(el("button", { class: "secondary", "data-action": "follow-up", type: "button",
        text: result.followUpTitle || s.resultFollowUp,
        onclick: () => { send({ type: "imagemonkey:open", url: result.editorUrl }); onClose(); } }));
    }
    if (!result.ok && result.code === "no_access") {
      actions.append(el("button", { class: "secondary", type: "button", text: s.resultOpenOptions,
        onclick: () => send({ type: "imagemonkey:options" }) }));
    }
    return { text, actions };
  }

  // ---------------------------------------------------------------- toast
  function showToast(data) {
    ensureHost();
    const s = data.strings;
    anchor = findImage(data.srcUrl) ?? anchor;
    toast?.remove();
    clearTimeout(toastTimer);
    const close = () => { toast?.remove(); toast = null; };
    const msg = el("div", { class: "msg", role: "status", "aria-live": "polite" });
    toast = el("div", { class: "box toast", "data-state": data.state ?? (data.result?.ok ? "done" : "error") },
      el("div", { class: "mark", "aria-hidden": "true", text: "iM" }), msg,
      el("button", { class: "close", type: "button", "aria-label": s.panelClose, text: "×", onclick: close }));
    if (data.state === "working") {
      msg.textContent = s.toastDonating;
    } else {
      const { text, actions } = resultView(data.result, s, close);
      msg.append(el("div", { class: data.result.ok ? "ok" : "error", text }));
      if (actions.childElementCount) msg.append(actions);
      toastTimer = setTimeout(close, data.result.ok ? 8000 : 15000);
    }
    shadow.append(toast);
    place();
  }

  // ---------------------------------------------------------------- panel
  function closePanel(refocus = true) {
    if (!panel) return;
    panel.remove();
    panel = null;
    removeEventListener("keydown", onPageKey, true);
    if (refocus && returnFocus?.isConnected) returnFocus.focus?.();
  }

  /** Show `box` as the one panel, next to the image at `srcUrl`; a panel it replaces keeps where focus returns. */
  function mountPanel(box, srcUrl) {
    ensureHost();
    const focusBack = panel ? returnFocus : document.activeElement;
    closePanel(false);
    returnFocus = focusBack;
    anchor = findImage(srcUrl);
    panel = box;
    addEventListener("keydown", onPageKey, true);
    shadow.append(box);
    place();
  }

  function onPageKey(e) {
    if (e.key === "Escape" && panel) closePanel();
  }

  function openPanel(data) {
    const s = data.strings;
    const labels = Array.isArray(data.labels) ? data.labels.map(String) : [];  // prefilled, e.g. from predictions
    let options = [];
    let active = -1;
    let busy = false;
    let done = false;
    let seq = 0;
    let box = null;

    const chips = el("ul", { class: "chips", "aria-label": s.panelTitle });
    const list = el("ul", { role: "listbox", id: "im-list", hidden: "" });
    const input = el("input", { type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": "im-list", "aria-label": s.panelLabelPlaceholder, placeholder: s.panelLabelPlaceholder,
      autocomplete: "off", spellcheck: "false" });
    const status = el("div", { class: "status", role: "status", "aria-live": "polite" });
    const donateBtn = el("button", { class: "primary donate", type: "button", text: s.panelDonate });
    const closeBtn = el("button", { class: "close", type: "button", "aria-label": s.panelClose, text: "×" });
    const thumb = el("img", { class: "thumb", alt: "" });

    function renderChips() {
      chips.replaceChildren(...labels.map((name, i) => el("li", { "data-label": name }, el("span", { text: name }),
        el("button", { type: "button", "aria-label": `${s.panelRemoveLabel} ${name}`, text: "×",
          onclick: () => { labels.splice(i, 1); renderChips(); input.focus(); } }))));
    }

    function renderList() {
      list.replaceChildren(...options.map((o, i) => {
        const li = el("li", { role: "option", id: `im-opt-${i}`, "aria-selected": String(i === active), "data-name": o.name },
          o.name);
        if (o.isNew) li.append(el("small", { text: s.panelNewLabel }));
        else if (o.alias) li.append(el("small", { text: `${s.panelAlias} ${o.alias}` }));
        li.addEventListener("mousedown", (e) => { e.preventDefault(); pick(i); });
        return li;
      }));
      const open = options.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", `im-opt-${active}`);
        list.children[active]?.scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }

    async function search() {
      const query = input.value.trim();
      const mine = ++seq;
      if (!query) { options = []; active = -1; renderList(); return; }
      let found = [];
      try {
        found = (await send({ type: "imagemonkey:labels", query, exclude: labels }))?.results ?? [];
      } catch { /* worker restarting: offer the typed text only */ }
      if (mine !== seq) return;
      options = found.slice();
      const typed = query.toLowerCase().replace(/\s+/g, " ");
      if (!options.some((o) => o.name.toLowerCase() === typed || o.alias === typed) && !labels.includes(typed)) {
        options.push({ name: typed, isNew: true });
      }
      active = options.length ? 0 : -1;
      renderList();
    }

    function add(name) {
      const clean = String(name).trim();
      if (clean && !labels.includes(clean)) labels.push(clean);
      input.value = "";
      options = [];
      active = -1;
      renderChips();
      renderList();
    }

    function pick(i) {
      if (options[i]) add(options[i].name);
      input.focus();
    }

    async function donate() {
      if (busy || done) return;
      if (input.value.trim()) {
        if (active >= 0 && options[active]) add(options[active].name);
        else add(input.value.trim().toLowerCase());
      }
      busy = true;
      donateBtn.disabled = true;
      box.dataset.state = "working";
      status.className = "status";
      status.textContent = s.panelDonating;
      const result = await donateFrom(data, labels.slice());
      busy = false;
      const { text, actions } = resultView(result, s, closePanel);
      status.className = `status ${result.ok ? "ok" : "error"}`;
      status.replaceChildren(el("div", { text }));
      if (actions.childElementCount) status.append(actions);
      box.dataset.state = result.ok ? "done" : "error";
      box.dataset.imageId = result.image?.id ?? "";
      if (result.ok) {
        done = true;
        donateBtn.hidden = true;
        (actions.querySelector("button") ?? closeBtn).focus();
      } else {
        donateBtn.disabled = false;
        donateBtn.focus();
      }
      place();
    }

    input.addEventListener("input", search);
    input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) return;
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        active = (active + step + options.length) % options.length;
        renderList();
      } else if (e.key === "Enter" && !(e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        if (active >= 0) pick(active);
        else if (input.value.trim()) add(input.value.trim().toLowerCase());
      } else if (e.key === "Backspace" && !input.value && labels.length) {
        e.preventDefault();
        labels.pop();
        renderChips();
      }
    });
    input.addEventListener("blur", () => setTimeout(() => { if (shadow.activeElement !== input) { list.hidden = true; input.setAttribute("aria-expanded", "false"); } }, 100));
    donateBtn.addEventListener("click", donate);
    closeBtn.addEventListener("click", closePanel);

    box = el("div", { class: "box panel", role: "dialog", "aria-labelledby": "im-title", "data-state": "editing" },
      el("header", {}, el("div", { class: "mark", "aria-hidden": "true", text: "iM" }), el("h2", { id: "im-title", text: s.panelTitle }), closeBtn),
      el("div", { class: "body" }, thumb, el("div", { class: "right" }, chips, el("div", { class: "combo" }, input, list),
        el("p", { class: "hint", text: s.panelLabelHint }))),
      status,
      el("footer", {}, donateBtn));
    box.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); closePanel(); }
      else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); donate(); }
    });
    mountPanel(box, data.srcUrl);
    thumb.src = anchor?.currentSrc || data.srcUrl;
    renderChips();
    input.focus();
  }

  const views = {};
  globalThis.__imagemonkeyUI = {
    views,
    /** What other views build on: the panel slot, the shared pieces, the host's styles. */
    kit: {
      el, send, donateFrom, resultView, place, mountPanel, closePanel,
      thumbSrc: (srcUrl) => anchor?.currentSrc || srcUrl,
      addStyle(css) {
        styles.push(css);
        if (host?.isConnected) shadow.append(el("style", { text: css }));
      },
    },
    show(data) {
      if (data.mode === "panel") openPanel(data);
      else if (views[data.mode]) views[data.mode](data);
      else showToast(data);
    },
    close() {
      closePanel();
      toast?.remove();
      toast = null;
    },
  };
})();
