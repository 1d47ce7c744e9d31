// daihoi check-in page: after each check-in the badge field is cleared and focused again;
// a badge's QR code can be read with the camera (jsQR, vendored). Without a camera, or
// without this script, typing the number and pressing Enter works the same.
"use strict";

(function () {
  var form = document.getElementById("checkin-form");
  if (!form) return;
  var input = document.getElementById("badge_no");
  var start = document.getElementById("scan-start");
  var stop = document.getElementById("scan-stop");
  var message = document.getElementById("scan-message");
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var stream = null;
  var last = { text: "", at: 0 };

  // A refused badge answers 422 with its message: show it like any other answer.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "checkin-result" && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) return;
    input.value = "";
    input.focus();
  });

  function submit(text) {
    input.value = text;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function fallback(reason) {
    message.textContent = message.getAttribute("data-fallback") + (reason ? " (" + reason + ")" : "");
    start.hidden = true;
    input.focus();
  }

  function scan() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA && window.jsQR) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      // The same badge held in front of the camera is sent once every 3 seconds at most.
      if (code && /^\d+$/.test(code.data.trim()) && (code.data !== last.text || now - last.at > 3000)) {
        last = { text: code.data, at: now };
        submit(code.data.trim());
      }
    }
    window.requestAnimationFrame(scan);
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
    input.focus();
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    fallback("");
    return;
  }
  start.hidden = false;
  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        message.textContent = "";
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(scan); })
      .catch(function (error) { stopCamera(); fallback(error && error.name ? error.name : ""); });
  });
  stop.addEventListener("click", stopCamera);
})();
