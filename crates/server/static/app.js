// Behaviour every page may use, without inline script (the Content-Security-Policy allows
// scripts from this origin only): a button marked data-print prints the page.
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("[data-print]");
  if (b) {
    e.preventDefault();
    window.print();
  }
});
