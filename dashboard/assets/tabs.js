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
