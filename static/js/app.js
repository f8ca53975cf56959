/* Small behaviours that used to be inline on*= attributes, delegated here so the
 * Content-Security-Policy can forbid inline script (issue 17). They also work for
 * rows htmx swaps in later.
 *   data-remove-closest="<selector>"  button: remove the closest matching ancestor
 *   data-print                        button: print the page
 *   data-autosubmit                   select: submit its form when changed */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-remove-closest], [data-print]");
    if (!el) return;
    if (el.hasAttribute("data-print")) { window.print(); return; }
    var target = el.closest(el.getAttribute("data-remove-closest"));
    if (target) target.remove();
  });
  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-autosubmit") && e.target.form) {
      e.target.form.submit();
    }
  });
})();
