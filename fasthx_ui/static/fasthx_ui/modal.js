/* Modal: showModal({size}) opens the page's dialog (#admin-modal) with its current
 * content; a given size ("" for the standard one) replaces the current size, no size
 * keeps it. Focus moves in (also when new content replaces that of an open dialog,
 * taking the focused control with it), Esc closes, and focus goes back to the control
 * that opened it (to its menu's toggle when it was an item of a dropdown menu). Servers open it with HX-Trigger, which htmx 4 fires after the swap;
 * `closeModal` (e.g. after the dialog's form succeeded) closes it the same way. */
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

  /* Where focus goes back to: the opener, or the toggle of the dropdown menu it sat in
   * (the menu has closed since), else the page's main region. */
  function returnTarget(element) {
    if (!element || !element.isConnected) return document.getElementById("fhx-main");
    const menu = element.closest(".dropdown-menu");
    if (menu && !menu.classList.contains("show")) {
      const toggle = menu.parentElement.querySelector('[data-bs-toggle="dropdown"]');
      if (toggle) return toggle;
    }
    return element;
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
      const back = returnTarget(opener);
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

  function closeModal() {
    const modal = modalElement();
    const instance = modal && bootstrap.Modal.getInstance(modal);
    if (instance) instance.hide();
  }

  document.addEventListener("showModal", function (event) { showModal(event.detail); });
  document.addEventListener("closeModal", closeModal);
  window.showModal = showModal;
})();
