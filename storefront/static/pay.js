// The payment page's card form (Stripe Elements). Loaded only on that page,
// after https://js.stripe.com/v3/; the server confirms the order through the
// Stripe webhook, and the return page shows its state.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof Stripe === "undefined") { return; }
  var stripe = Stripe(form.dataset.publishableKey);
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret, locale: "ko" });
  var payment = elements.create("payment");
  payment.mount("#card-element");
  var errorBox = document.getElementById("card-error");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    errorBox.hidden = true;
    stripe.confirmPayment({
      elements: elements,
      confirmParams: { return_url: new URL(form.dataset.returnUrl, window.location.href).href }
    }).then(function (result) {
      if (result.error) {
        errorBox.textContent = result.error.message || "결제를 완료하지 못했습니다. 다시 시도해 주세요.";
        errorBox.hidden = false;
        button.disabled = false;
      }
    });
  });
})();
