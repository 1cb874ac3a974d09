/* Toast: showToast({message, type, title}) draws a toast into the page's live region,
 * as text, and hides it after 5 s; server responses trigger it via HX-Trigger. */
(function () {
  "use strict";
  const TYPES = { success: "check-circle-fill", danger: "x-octagon-fill", warning: "exclamation-triangle-fill", info: "info-circle-fill" };
  const DELAY = 5000;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function build(options) {
    const type = Object.prototype.hasOwnProperty.call(TYPES, options.type) ? options.type : "info";
    const title = options.title || type.charAt(0).toUpperCase() + type.slice(1);
    const toast = element("div", "toast fhx-toast fhx-toast-" + type);
    toast.dataset.fhxToast = "";
    toast.dataset.type = type;
    toast.dataset.delay = String(options.delay === undefined ? DELAY : options.delay);
    const header = element("div", "toast-header");
    const icon = element("i", "bi bi-" + TYPES[type] + " fhx-toast-icon");
    icon.setAttribute("aria-hidden", "true");
    const close = element("button", "btn-close");
    close.type = "button";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", "Close");
    header.append(icon, element("strong", "me-auto fhx-toast-title", title), close);
    toast.append(header, element("div", "toast-body fhx-toast-message", String(options.message || "")));
    return toast;
  }

  function regionFor(type) {
    return document.getElementById(type === "danger" ? "fhx-toasts-alert" : "fhx-toasts-status");
  }

  function showToast(options) {
    const toast = build(options || {});
    const region = regionFor(toast.dataset.type);
    if (!region) return null;
    region.appendChild(toast);
    return toast;
  }

  fasthx.register("Toast", "[data-fhx-toast]", function (toast) {
    const delay = Number(toast.dataset.delay);
    const instance = bootstrap.Toast.getOrCreateInstance(toast, { autohide: delay > 0, delay: delay || DELAY });
    toast.addEventListener("hidden.bs.toast", function () { toast.remove(); }, { once: true });
    instance.show();
    /* Bootstrap finishes a running fade after removal; dispose once it is done. */
    return function () { setTimeout(function () { instance.dispose(); }, 1000); };
  });

  fasthx.register("ToastRegion", "#fhx-toasts", function (region) {
    JSON.parse(region.dataset.fhxFlashes || "[]").forEach(showToast);
  });

  document.addEventListener("showToast", function (event) { showToast(event.detail); });
  window.showToast = showToast;
})();
