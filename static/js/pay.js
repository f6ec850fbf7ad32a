// Card payment on the borrower's page: Stripe.js card element + confirmCardPayment.
// Values come from data- attributes on #card-form (no inline script). Stripe.js is loaded from
// settings.STRIPE_JS_URL, so the same page runs against localstripe's Stripe.js in tests.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form) return;
  var result = document.getElementById("pay-result");
  var unavailable = document.getElementById("pay-unavailable");
  var button = document.getElementById("pay-button");
  var d = form.dataset;

  function say(text) { result.textContent = text; }

  if (typeof window.Stripe !== "function") {
    unavailable.hidden = false;
    return;
  }
  var stripe, card;
  try {
    stripe = window.Stripe(d.publishableKey);
    card = stripe.elements().create("card");
    card.mount("#card-element");
  } catch (err) {
    unavailable.hidden = false;
    return;
  }
  form.hidden = false;

  function poll(tries) {
    fetch(d.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.recorded) {
          say(d.textRecorded);
        } else if (tries > 0) {
          window.setTimeout(function () { poll(tries - 1); }, 2000);
        } else {
          say(d.textLater);
        }
      })
      .catch(function () { say(d.textLater); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    say(d.textPaying);
    stripe.confirmCardPayment(d.clientSecret, { payment_method: { card: card } }).then(function (res) {
      if (res && res.paymentIntent && res.paymentIntent.status === "succeeded") {
        form.hidden = true;
        say(d.textPaid);
        poll(15);
      } else {
        var why = res && res.error && res.error.message ? " " + res.error.message : "";
        say(d.textFailed + why);
        button.disabled = false;
      }
    });
  });
})();
