/**
 * Turn failures into sentences a person can act on. Pure module: the message
 * lookup is passed in (lib/i18n.js `t` in the extension).
 */

/**
 * "45 seconds", "3 minutes", "2 hours" for a wait in seconds.
 * @param {number} seconds
 * @param {(key: string, subs?: string[]) => string} t
 */
export function formatWait(seconds, t) {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 90) return t(s === 1 ? "waitSecond" : "waitSeconds", [String(s)]);
  const m = Math.ceil(s / 60);
  if (m < 90) return t("waitMinutes", [String(m)]);
  return t("waitHours", [String(Math.ceil(m / 60))]);
}

/**
 * "2.5 MB" for a byte count.
 * @param {number} bytes
 */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;
}

/**
 * A readable sentence for an error code.
 * @param {{code: string, message?: string, retryAfter?: number|null, details?: object}} error
 * @param {(key: string, subs?: string[]) => string} t
 * @returns {string}
 */
export function describeError(error, t) {
  const d = error.details ?? {};
  switch (error.code) {
    case "too_large":
      return d.maxBytes || d.max_upload_bytes
        ? t("errTooLargeLimit", [formatBytes(d.maxBytes ?? d.max_upload_bytes)])
        : t("errTooLarge");
    case "unsupported_format":
      return t("errUnsupportedFormat");
    case "not_an_image":
      return t("errNotAnImage");
    case "too_many_pixels":
      return t("errTooManyPixels");
    case "svg":
      return t("errSvg");
    case "too_small":
      return d.width != null && d.height != null ? t("errTooSmallSize", [String(d.width), String(d.height)]) : t("errTooSmall");
    case "rate_limited":
      return error.retryAfter != null ? t("errRateLimitedWait", [formatWait(error.retryAfter, t)]) : t("errRateLimited");
    case "unreachable":
      return t("errUnreachable", [d.server ?? ""]);
    case "blocked":
      return t("errBlocked");
    case "no_access":
      return t("errNoAccess", [d.host ?? ""]);
    case "image_fetch":
      return t("errImageFetch", [d.reason ?? ""]);
    case "unsupported_source":
      return t("errUnsupportedSource");
    default:
      return error.message || t("errGeneric");
  }
}
