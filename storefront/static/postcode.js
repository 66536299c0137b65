// 우편번호 찾기 (progressive enhancement): the address forms (checkout and
// /account/addresses) work by typing; this adds a button that loads the
// Kakao (Daum) postcode service only when pressed. When it cannot be
// reached, a message says so and typing keeps working. The server decides
// the 제주/도서산간 surcharge from the postcode either way.
(function () {
  "use strict";
  var SRC = "https://t1.daumcdn.net/mapjsapi/bundle/postcode/prod/postcode.v2.js";
  var TIMEOUT = 8000;
  var loading = null;

  function load() {
    if (window.daum && window.daum.Postcode) return Promise.resolve();
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      var timer = setTimeout(function () { reject(new Error("timeout")); }, TIMEOUT);
      s.src = SRC;
      s.async = true;
      s.onload = function () {
        clearTimeout(timer);
        if (window.daum && window.daum.Postcode) resolve(); else reject(new Error("no Postcode"));
      };
      s.onerror = function () { clearTimeout(timer); reject(new Error("unreachable")); };
      document.head.appendChild(s);
    });
    // A later press tries again.
    loading.catch(function () { loading = null; });
    return loading;
  }

  document.querySelectorAll("[data-postcode-search]").forEach(function (box) {
    var postcode = document.getElementById(box.getAttribute("data-postcode"));
    var road = document.getElementById(box.getAttribute("data-road"));
    var detail = document.getElementById(box.getAttribute("data-detail"));
    if (!postcode || !road) return;
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "btn postcode-btn";
    btn.textContent = "우편번호 찾기";
    var status = document.createElement("p");
    status.className = "postcode-status";
    status.setAttribute("role", "status");
    var frame = document.createElement("div");
    frame.className = "postcode-frame";
    frame.hidden = true;
    box.appendChild(btn);
    box.appendChild(status);
    box.appendChild(frame);
    box.hidden = false;

    btn.addEventListener("click", function () {
      btn.disabled = true;
      status.className = "postcode-status";
      status.textContent = "우편번호 검색을 불러오는 중입니다…";
      load().then(function () {
        status.textContent = "";
        frame.hidden = false;
        frame.textContent = "";
        new window.daum.Postcode({
          width: "100%",
          oncomplete: function (data) {
            postcode.value = data.zonecode || "";
            road.value = data.roadAddress || data.address || "";
            frame.hidden = true;
            status.textContent = "주소를 넣었습니다. 상세주소를 입력해 주세요.";
            if (detail) detail.focus();
          }
        }).embed(frame);
      }, function () {
        status.className = "postcode-status notice notice-warn";
        status.textContent = "우편번호 검색을 불러오지 못했습니다. 우편번호 5자리와 도로명주소를 직접 입력해 주세요.";
        postcode.focus();
      }).then(function () { btn.disabled = false; });
    });
  });
})();
