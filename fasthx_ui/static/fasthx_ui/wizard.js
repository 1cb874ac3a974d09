/* Wizard: after the server moved the wizard to a step (Next, Back, Finish), focus goes
 * to that step's first field, or to its heading when it has none (a review step). A
 * step that came back with errors is left to forms.js, which focuses the first bad
 * field and shows the danger toast. A wizard that is not the answer to a post (no
 * data-fhx-wizard-moved) takes no focus here.
 */
(function () {
  "use strict";

  const CONTROLS = "input:not([type='hidden']), select, textarea";

  fasthx.register("Wizard", "[data-fhx-wizard]", function (wizard) {
    if (!wizard.hasAttribute("data-fhx-wizard-moved")) return;
    if (wizard.querySelector("[aria-invalid='true']")) return;
    for (const field of wizard.querySelectorAll(".fhx-wizard-body [data-fhx-field]:not([hidden])")) {
      const control = field.querySelector(CONTROLS);
      if (!control) continue;
      (control.tomselect ? control.tomselect.control_input : control).focus();
      return;
    }
    const heading = wizard.querySelector(".fhx-wizard-heading");
    if (heading) heading.focus();
  });
})();
