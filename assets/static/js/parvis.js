// Parvis — progressive enhancement only; every journey works without it.
(function () {
  "use strict";

  // Close the user menu when clicking elsewhere or pressing Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  // "/" focuses the search box, as in most web applications.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
    var box = document.getElementById("header-search");
    if (box) {
      event.preventDefault();
      box.focus();
    }
  });

  // Avoid double submission of forms.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    setTimeout(function () { form.dataset.submitted = ""; }, 4000);
  });

  // ---- Passkeys (WebAuthn): the server speaks base64url, the browser ArrayBuffers.
  function fromB64u(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes.buffer;
  }
  function toB64u(buffer) {
    var bytes = new Uint8Array(buffer);
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function postJson(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    });
  }
  function show(id) {
    var el = document.getElementById(id);
    if (el) el.hidden = false;
  }

  var signinButton = document.getElementById("passkey-signin");
  if (signinButton && window.PublicKeyCredential) {
    signinButton.addEventListener("click", function () {
      var csrf = signinButton.dataset.csrf;
      signinButton.disabled = true;
      postJson("/signin/verify/passkey-options", csrf).then(function (options) {
        var pk = options.publicKey;
        pk.challenge = fromB64u(pk.challenge);
        (pk.allowCredentials || []).forEach(function (c) { c.id = fromB64u(c.id); });
        return navigator.credentials.get({ publicKey: pk });
      }).then(function (cred) {
        var r = cred.response;
        return postJson("/signin/verify/passkey", csrf, { credential: {
          id: cred.id, rawId: toB64u(cred.rawId), type: cred.type, extensions: {},
          response: {
            authenticatorData: toB64u(r.authenticatorData),
            clientDataJSON: toB64u(r.clientDataJSON),
            signature: toB64u(r.signature),
            userHandle: r.userHandle ? toB64u(r.userHandle) : null
          }
        } });
      }).then(function (done) {
        window.location.assign(done.next);
      }).catch(function () {
        signinButton.disabled = false;
        show("passkey-error");
      });
    });
  } else if (signinButton) {
    signinButton.hidden = true;
  }

  var registerForm = document.getElementById("passkey-register");
  if (registerForm && window.PublicKeyCredential) {
    registerForm.hidden = false;
    registerForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var csrf = registerForm.dataset.csrf;
      var password = registerForm.querySelector("[name=password]").value;
      var name = registerForm.querySelector("[name=name]").value;
      var error = document.getElementById("passkey-register-error");
      if (error) error.hidden = true;
      postJson("/account/security/passkeys/options", csrf, { password: password }).then(function (options) {
        var pk = options.publicKey;
        pk.challenge = fromB64u(pk.challenge);
        pk.user.id = fromB64u(pk.user.id);
        (pk.excludeCredentials || []).forEach(function (c) { c.id = fromB64u(c.id); });
        return navigator.credentials.create({ publicKey: pk });
      }).then(function (cred) {
        var r = cred.response;
        return postJson("/account/security/passkeys", csrf, { name: name, credential: {
          id: cred.id, rawId: toB64u(cred.rawId), type: cred.type, extensions: {},
          response: {
            attestationObject: toB64u(r.attestationObject),
            clientDataJSON: toB64u(r.clientDataJSON),
            transports: r.getTransports ? r.getTransports() : []
          }
        } });
      }).then(function (done) {
        window.location.assign(done.next);
      }).catch(function () {
        registerForm.dataset.submitted = "";
        show("passkey-register-error");
      });
    });
  }

  // Colour fields update their preview swatch as one types.
  document.querySelectorAll("input[data-preview]").forEach(function (input) {
    var rect = document.querySelector("#" + input.dataset.preview + " rect");
    if (!rect) return;
    input.addEventListener("input", function () {
      if (/^#[0-9a-fA-F]{6}$/.test(input.value)) rect.setAttribute("fill", input.value);
    });
  });

  // ---- Uploads: drop files anywhere on the form, one request per file with its own progress bar.
  var uploadForm = document.getElementById("upload-form");
  if (uploadForm && window.FormData && window.XMLHttpRequest) {
    var input = uploadForm.querySelector("input[type=file]");
    var list = document.getElementById("upload-list");
    var zone = document.getElementById("dropzone");
    if (zone) zone.hidden = false;
    var sendAll = function (files) {
      if (!files || !files.length) return;
      var pending = files.length, failed = 0;
      Array.prototype.forEach.call(files, function (file) {
        var item = document.createElement("li");
        var label = document.createElement("span");
        label.textContent = file.name;
        var bar = document.createElement("progress");
        bar.max = 100; bar.value = 0;
        item.appendChild(label); item.appendChild(bar);
        list.appendChild(item);
        var data = new FormData();
        // The comment goes first: it applies to the files after it.
        var comment = uploadForm.querySelector("input[name=comment]");
        if (comment && comment.value) data.append("comment", comment.value);
        data.append("file", file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", uploadForm.action);
        xhr.upload.onprogress = function (e) {
          if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
        };
        xhr.onloadend = function () {
          var ok = xhr.status >= 200 && xhr.status < 300;
          if (ok) { bar.value = 100; } else {
            failed++;
            item.classList.add("upload-failed");
            var why = document.createElement("span");
            var doc = xhr.responseText ? new DOMParser().parseFromString(xhr.responseText, "text/html") : null;
            var alert = doc && doc.querySelector("[role=alert]");
            why.textContent = alert ? alert.textContent : uploadForm.dataset.failed;
            item.appendChild(why);
          }
          pending--;
          if (pending === 0 && failed === 0) window.location.reload();
        };
        xhr.send(data);
      });
    };
    uploadForm.addEventListener("submit", function (event) {
      event.preventDefault();
      sendAll(input.files);
      input.value = "";
      var comment = uploadForm.querySelector("input[name=comment]");
      if (comment) comment.value = "";
      uploadForm.dataset.submitted = "";
    });
    ["dragenter", "dragover"].forEach(function (t) {
      uploadForm.addEventListener(t, function (e) { e.preventDefault(); uploadForm.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      uploadForm.addEventListener(t, function (e) { e.preventDefault(); uploadForm.classList.remove("dragging"); });
    });
    uploadForm.addEventListener("drop", function (e) { sendAll(e.dataTransfer && e.dataTransfer.files); });
  }

  // Suggestions as you type in the header search box: titles of files,
  // spaces and people the person may see (the server trims them), as an
  // ARIA combobox; Enter without a choice still submits the full search.
  (function () {
    var box = document.getElementById("header-search");
    if (!box || !window.fetch) return;
    var form = box.form;
    var list = document.createElement("ul");
    list.id = "search-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    form.appendChild(list);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("aria-expanded", "false");
    var timer = null;
    var active = -1;
    var latest = 0;
    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }
    function mark(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && items[index]) box.setAttribute("aria-activedescendant", items[index].id);
      else box.removeAttribute("aria-activedescendant");
    }
    function show(items) {
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = "suggestion-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var a = document.createElement("a");
        a.href = item.url;
        var kind = document.createElement("span");
        kind.className = "badge neutral";
        var key = "kind" + item.kind.charAt(0).toUpperCase() + item.kind.slice(1);
        kind.textContent = form.dataset[key] || item.kind;
        a.appendChild(kind);
        a.appendChild(document.createTextNode(" " + item.title));
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      box.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      var q = box.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetch("/api/v1/search/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) { if (ticket === latest) show(body.items || []); })
          .catch(function () { close(); });
      }, 120);
    });
    box.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("li");
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
      // The first Escape closes the list and keeps what was typed.
      else if (event.key === "Escape") { event.preventDefault(); close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        var link = items[active].querySelector("a");
        if (link) window.location.href = link.href;
      }
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) close(); });
  })();
  // ---- While a request is filed: what the person may already read that
  // answers it (documents, news…), from search, as the title is typed.
  // Search answers with what they may see alone; without JavaScript the
  // form works the same, without the hints.
  document.querySelectorAll("input[data-answers]").forEach(function (input) {
    var box = document.getElementById(input.dataset.answers);
    if (!box) { return; }
    var list = box.querySelector("ul");
    var skip = ["request", "request_note", "person", "space"];
    var timer = null, latest = 0;
    function plain(html) {
      return new DOMParser().parseFromString(html || "", "text/html").body.textContent || "";
    }
    function show(items) {
      list.textContent = "";
      items.filter(function (h) { return skip.indexOf(h.kind) < 0; }).slice(0, 5).forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = h.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = h.title;
        li.appendChild(a);
        var p = document.createElement("p");
        p.className = "muted small";
        p.textContent = plain(h.snippet);
        li.appendChild(p);
        list.appendChild(li);
      });
      box.hidden = list.children.length === 0;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 3) { show([]); return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetch("/api/v1/search?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) { if (ticket === latest) show(body.items || []); })
          .catch(function () { show([]); });
      }, 300);
    });
  });
  // ---- People pickers: the datalist of an input offers the people the
  // signed-in person may know of, as they type (the server checks access).
  document.querySelectorAll("input[data-people-picker]").forEach(function (input) {
    var list = document.getElementById(input.dataset.peoplePicker);
    if (!list) { return; }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = q;
        fetch("/api/v1/people?limit=8&q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (res) { return res.ok ? res.json() : { items: [] }; })
          .then(function (page) {
            // Options the page wrote itself (groups, organizations) stay.
            list.querySelectorAll("option[data-person]").forEach(function (o) { o.remove(); });
            (page.items || []).forEach(function (p) {
              if (!p.email) { return; }
              var option = document.createElement("option");
              option.dataset.person = "1";
              option.value = p.email;
              option.label = p.organization ? p.display_name + " — " + p.organization.name : p.display_name;
              list.appendChild(option);
            });
          })
          .catch(function () { /* the field still takes a typed address */ });
      }, 150);
    });
  });
  // Mentions: typing @ and the start of a name lists the people one may
  // mention (saying who could not read the space); choosing one writes
  // @[Name](mention:id). Without script, the text is sent as typed.
  document.querySelectorAll("textarea[data-mentions]").forEach(function (area) {
    var box = document.createElement("div");
    box.className = "mention-box";
    box.hidden = true;
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", area.dataset.mentionLabel || "");
    area.insertAdjacentElement("afterend", box);
    var timer = null;
    var word = function () {
      var before = area.value.slice(0, area.selectionStart);
      var m = before.match(/(^|\s)@([^\s@\[\]()]{1,40})$/);
      return m ? m[2] : null;
    };
    var close = function () { box.hidden = true; box.textContent = ""; };
    var choose = function (s) {
      var start = area.selectionStart;
      var before = area.value.slice(0, start);
      var at = before.lastIndexOf("@");
      area.value = before.slice(0, at) + s.markdown + " " + area.value.slice(start);
      var caret = at + s.markdown.length + 1;
      close();
      area.focus();
      area.setSelectionRange(caret, caret);
    };
    var show = function (list) {
      box.textContent = "";
      if (!list.length) { close(); return; }
      list.forEach(function (s) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "mention-option";
        b.textContent = s.name + (s.can_see ? "" : " — " + (area.dataset.mentionCannot || ""));
        b.addEventListener("click", function () { choose(s); });
        box.appendChild(b);
      });
      box.hidden = false;
    };
    area.addEventListener("input", function () {
      var q = word();
      clearTimeout(timer);
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        fetch(area.dataset.mentions + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (list) { if (word() === q) show(list); })
          .catch(close);
      }, 150);
    });
    area.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !box.hidden && box.firstChild) { e.preventDefault(); box.firstChild.focus(); }
      if (e.key === "Escape") close();
    });
    box.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key === "ArrowDown" && t.nextSibling) { e.preventDefault(); t.nextSibling.focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (t.previousSibling || area).focus(); }
      if (e.key === "Escape") { close(); area.focus(); }
    });
  });
  // Live: one stream per page, from the server (which tells each person
  // only of what they may see). The bell shows the unread count; a page
  // about a space says when someone else changed it. Without JavaScript or
  // the stream, the page is simply as it was loaded.
  var bell = document.querySelector(".bell [data-unread]");
  var live = document.querySelector("[data-live-space], [data-live-kind]");
  if ((bell || live) && window.EventSource) {
    var stream = new EventSource("/events");
    var count = function (event) {
      var told;
      try { told = JSON.parse(event.data); } catch (e) { return; }
      if (!bell || typeof told.unread !== "number") return;
      bell.textContent = told.unread > 99 ? "99+" : String(told.unread);
      bell.hidden = told.unread === 0;
    };
    stream.addEventListener("ready", function (event) {
      count(event);
      if (live) live.dataset.liveReady = "1";
    });
    stream.addEventListener("notifications", count);
    if (live) {
      // About one space (its home, its library), or about one kind (news).
      var space = live.dataset.liveSpace ? Number(live.dataset.liveSpace) : null;
      var kind = live.dataset.liveKind || null;
      // Or about one item of that kind (a request).
      var item = live.dataset.liveItem ? Number(live.dataset.liveItem) : null;
      var announce = function () {
        if (live.firstChild) return;
        live.appendChild(document.createTextNode(live.dataset.liveText + " "));
        var link = document.createElement("a");
        link.href = window.location.href;
        link.textContent = live.dataset.liveLink;
        live.appendChild(link);
      };
      stream.addEventListener("change", function (event) {
        var change;
        try { change = JSON.parse(event.data); } catch (e) { return; }
        if (change.mine) return;
        // Both named: that kind in that space (replies in a space's discussions).
        var both = space !== null && kind !== null;
        if (item !== null) {
          if (change.kind === kind && change.id === item) announce();
        } else if (both ? change.space === space && change.kind === kind
                 : (space !== null && change.space === space) || (kind !== null && change.kind === kind)) announce();
      });
      // Changes were lost on the way: the page may be out of date.
      stream.addEventListener("reload", announce);
    }
    window.addEventListener("pagehide", function () { stream.close(); });
  }
})();
