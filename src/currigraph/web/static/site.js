// On narrow screens the site menu folds behind a "Menu" button (without JavaScript it simply wraps).
(function () {
  var button = document.querySelector("header.site .menu-button");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  document.documentElement.classList.add("js");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
})();
