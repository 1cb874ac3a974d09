/* Modal: showModal({size}) opens the page's dialog (#admin-modal) with its current
 * content; a given size ("" for the standard one) replaces the current size, no size
 * keeps it. Focus moves in (also when new content replaces that of an open dialog,
 * taking the focused control with it), Esc closes, and focus goes back to the control
 * that opened it. Servers open it with HX-Trigger, which htmx 4 fires after the swap. */
(function () {
  "use strict";
  const SIZES = ["modal-sm", "modal-lg", "modal-xl", "modal-fullscreen"];
  const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  let opener = null;
  let lastRequester = null;

  function modalElement() { return document.querySelector("[data-fhx-modal]"); }

  /* The dialog's first control (an [autofocus] one first), else its close button. */
  function focusInside(modal) {
    const target = modal.querySelector(".modal-body [autofocus]")
      || modal.querySelector(".modal-body :is(" + FOCUSABLE + ")")
      || modal.querySelector(".modal-footer :is(" + FOCUSABLE + ")");
    (target || modal.querySelector(".btn-close") || modal).focus();
  }

  /* The element behind the latest htmx request: the opener when focus is elsewhere. */
  document.addEventListener("htmx:before:request", function (event) { lastRequester = event.target; });

  function showModal(options) {
    const modal = modalElement();
    if (!modal) return;
    if (options && Object.prototype.hasOwnProperty.call(options, "size")) {
      const dialog = modal.querySelector(".modal-dialog");
      dialog.classList.remove.apply(dialog.classList, SIZES);
      if (SIZES.indexOf(options.size) !== -1) dialog.classList.add(options.size);
    }
    if (!modal.classList.contains("show")) {
      const active = document.activeElement;
      opener = active && active !== document.body ? active : lastRequester;
    }
    const title = modal.querySelector(".modal-title");
    if (title && title.id) modal.setAttribute("aria-labelledby", title.id); else modal.removeAttribute("aria-labelledby");
    if (modal.classList.contains("show")) {
      if (!modal.contains(document.activeElement)) focusInside(modal);
      return;
    }
    bootstrap.Modal.getOrCreateInstance(modal).show();
  }

  fasthx.register("Modal", "[data-fhx-modal]", function (modal) {
    function onShown() { focusInside(modal); }
    function onHidden() {
      const back = opener && opener.isConnected ? opener : document.getElementById("fhx-main");
      opener = null;
      if (back) back.focus();
    }
    /* Tab wraps inside the dialog, also past the page's last element. */
    function onKeydown(event) {
      if (event.key !== "Tab") return;
      const focusable = Array.from(modal.querySelectorAll(FOCUSABLE)).filter(function (e) { return e.offsetParent !== null; });
      if (!focusable.length) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && (document.activeElement === first || document.activeElement === modal)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
    modal.addEventListener("shown.bs.modal", onShown);
    modal.addEventListener("hidden.bs.modal", onHidden);
    modal.addEventListener("keydown", onKeydown);
    return function () {
      modal.removeEventListener("shown.bs.modal", onShown);
      modal.removeEventListener("hidden.bs.modal", onHidden);
      modal.removeEventListener("keydown", onKeydown);
      const instance = bootstrap.Modal.getInstance(modal);
      if (instance) instance.dispose();
    };
  });

  document.addEventListener("showModal", function (event) { showModal(event.detail); });
  window.showModal = showModal;
})();
