/* Forms: what Field, FormSections and Form need in the browser.
 *  - a checkbox shows and hides the fields that name it in `depends_on`, at once;
 *  - a form that comes back with errors shows a danger toast (titled by data-fhx-form-error-title,
 *    "Not saved" by default; none with data-fhx-form-toast="off") and focuses its first bad field;
 *  - info icons get their Bootstrap tooltip;
 *  - searchable selects become Tom Selects, re-synced whenever htmx swaps new <option>s
 *    into them (dependent dropdowns, main target or out-of-band).
 */
(function () {
  "use strict";

  function toggleDependents(form, checkbox) {
    const selector = '[data-fhx-depends-on="' + CSS.escape(checkbox.name) + '"]';
    for (const field of form.querySelectorAll(selector)) field.hidden = !checkbox.checked;
  }

  fasthx.register("Form", "form[data-fhx-form]", function (form) {
    for (const box of form.querySelectorAll('input[type="checkbox"]')) toggleDependents(form, box);
    function onChange(event) {
      const box = event.target;
      if (box.matches && box.matches('input[type="checkbox"]')) toggleDependents(form, box);
    }
    form.addEventListener("change", onChange);
    const message = form.dataset.fhxFormError;
    if (message) {
      if (form.dataset.fhxFormToast !== "off" && window.showToast) {
        window.showToast({ message: message, type: "danger", title: form.dataset.fhxFormErrorTitle || "Not saved" });
      }
      const bad = form.querySelector('[aria-invalid="true"]:not([type="hidden"])');
      if (bad) (bad.tomselect ? bad.tomselect.control_input : bad).focus();
    }
    return function () { form.removeEventListener("change", onChange); };
  });

  fasthx.register("FieldTooltip", "[data-fhx-tooltip]", function (icon) {
    const tooltip = bootstrap.Tooltip.getOrCreateInstance(icon);
    return function () { tooltip.dispose(); };
  });

  fasthx.register("SearchableSelect", "select[data-fhx-searchable]", function (select) {
    const tom = fasthxTomSelect.enhance(select, { maxOptions: null, allowEmptyOption: true });
    return function () { tom.destroy(); };
  });

  /* Reload a Tom Select's options from its <select> after htmx replaced them. */
  function resync(select) {
    const tom = select.tomselect;
    if (!tom) return;
    tom.clearOptions(function () { return false; });
    tom.sync();
    tom.refreshOptions(false);
  }

  document.addEventListener("htmx:before:swap", function (event) {
    const detail = event.detail;
    detail.ctx.fhxSwapTargets = (detail.tasks || []).map(function (task) { return task.target; });
  });
  document.addEventListener("htmx:after:swap", function (event) {
    for (const target of event.detail.ctx.fhxSwapTargets || []) {
      if (target && target.tagName === "SELECT" && target.isConnected) resync(target);
    }
  });
})();
