// Accessibility and fit, in the browser: keyboard tabs, charts that fit their box, no hidden focus targets.
// Keyboard operation of the tabs (WAI-ARIA tabs pattern): Left/Right/Home/End move to a tab and select it.
document.addEventListener("keydown", function (event) {
  const tab = event.target.closest && event.target.closest("[role=tab]");
  if (!tab) { return; }
  const tabs = Array.from(tab.parentElement.querySelectorAll("[role=tab]"));
  const i = tabs.indexOf(tab);
  const next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1}[event.key];
  if (next === undefined) { return; }
  event.preventDefault();
  const target = tabs[(next + tabs.length) % tabs.length];
  target.focus();
  target.click();
});

// Charts fit their box: one drawn while its view was hidden, or before the window changed size, is
// redrawn at its box's width (checked a few times a second; a redraw happens only when the width differs).
function spinesimResizeCharts() {
  document.querySelectorAll(".tabpanel:not([hidden]) .js-plotly-plot").forEach(function (g) {
    const box = g.parentElement && g.parentElement.clientWidth;
    if (window.Plotly && g._fullLayout && box && Math.abs(g._fullLayout.width - box) > 2) {
      window.Plotly.Plots.resize(g);
    }
  });
}
setInterval(spinesimResizeCharts, 400);

// Fixes of Dash's own components, applied as they appear (each one named by axe-core when missing):
// - the dropdown's hidden focus holder (aria-hidden) is taken out of the tab order (aria-hidden-focus);
// - radio items are a radiogroup of native radios, not a listbox of options holding inputs (nested-interactive),
//   named by their field's label (aria-input-field-name);
// - a slider's thumb and its number box are named by the slider's label;
// - the upload's file input is named.
function spinesimLabelOf(id) {
  const label = id && document.querySelector("label[for='" + CSS.escape(id) + "'], #" + CSS.escape(id + "-label"));
  if (label && !label.id) { label.id = id + "-label"; }
  return label ? label.id : null;
}
function spinesimFix() {
  document.querySelectorAll(".dash-dropdown-focus-target:not([tabindex='-1'])").forEach(function (el) {
    el.setAttribute("tabindex", "-1");
  });
  document.querySelectorAll(".dash-radioitems[role='listbox']").forEach(function (group) {
    group.setAttribute("role", "radiogroup");
    const label = spinesimLabelOf(group.id);
    if (label) { group.setAttribute("aria-labelledby", label); }
    group.querySelectorAll("[role='option']").forEach(function (option) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
  });
  document.querySelectorAll(".dash-slider-container[id]").forEach(function (slider) {
    const label = spinesimLabelOf(slider.id);
    if (!label) { return; }
    slider.querySelectorAll("[role='slider'], input").forEach(function (el) {
      if (el.getAttribute("aria-labelledby") !== label) { el.setAttribute("aria-labelledby", label); }
    });
  });
  document.querySelectorAll("input[type='file']:not([aria-label])").forEach(function (el) {
    el.setAttribute("aria-label", "Upload a scenario file (.toml)");
  });
}
new MutationObserver(spinesimFix).observe(document.documentElement, {childList: true, subtree: true});
