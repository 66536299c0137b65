// The 인쇄 button of a document page (templates/docs): shown only where
// scripts run, since printing needs one.
document.querySelectorAll('[data-print]').forEach(function (b) {
  b.hidden = false;
  b.addEventListener('click', function () { window.print(); });
});
