/* Console: the output log follows new output while the reader is at its bottom, stops
 * when they scroll up and resumes when they scroll back down. Streamed output arrives
 * as SSE events (hx-sse) and is appended; the stream closes at `console-end`, when the
 * modal around the console closes, or when the console leaves the page. The prompt
 * keeps a history that ArrowUp / ArrowDown recall.
 * showConsole({size}) opens the page's modal with its current content, like
 * showModal (servers send it via HX-Trigger). */
(function () {
  "use strict";
  const SLACK = 8; // px from the bottom that still count as "at the bottom"

  function atBottom(element) {
    return element.scrollHeight - element.scrollTop - element.clientHeight <= SLACK;
  }

  /* New output keeps the view at the end when the reader was at the end just before it
   * arrived: judged from the height before the output, so neither fast output nor a
   * scroll event still on its way can overrule where the reader is. */
  function follow(output) {
    let knownHeight = 0;
    function setFollowing(value) { output.dataset.following = String(value); }
    function toEnd() {
      output.scrollTop = output.scrollHeight;
      knownHeight = output.scrollHeight;
    }
    function onOutput() {
      const following = output.scrollTop + output.clientHeight >= knownHeight - SLACK;
      setFollowing(following);
      if (following) output.scrollTop = output.scrollHeight;
      knownHeight = output.scrollHeight;
    }
    function onScroll() {
      setFollowing(atBottom(output));
      knownHeight = output.scrollHeight;
    }
    function onShown() { if (output.dataset.following === "true") toEnd(); }
    const observer = new MutationObserver(onOutput);
    observer.observe(output, { childList: true, subtree: true, characterData: true });
    output.addEventListener("scroll", onScroll);
    const modal = output.closest(".modal");
    if (modal) modal.addEventListener("shown.bs.modal", onShown);
    setFollowing(true);
    toEnd();
    return function () {
      observer.disconnect();
      output.removeEventListener("scroll", onScroll);
      if (modal) modal.removeEventListener("shown.bs.modal", onShown);
    };
  }

  function stream(root, output) {
    const source = root.querySelector("[data-fhx-console-stream]");
    if (!source) return function () {};
    const status = root.querySelector("[data-fhx-console-status]");
    const eventName = source.dataset.streamEvent || "output";
    let connection = null;
    let closed = false;

    function setState(state, text) {
      root.dataset.stream = state;
      if (status) status.textContent = text;
    }
    function onOutput(event) { output.insertAdjacentHTML("beforeend", event.detail.data); }
    function onConnected(event) {
      connection = event.detail.connection;
      setState("open", "Streaming…");
    }
    /* Reconnect only where the server numbered its events (it can resume without
     * repeating output), and never once the console was closed. */
    function onConnecting(event) {
      const next = event.detail.connection;
      if (closed || (next.attempt > 0 && !next.lastEventId)) next.cancelled = true;
    }
    function onClose() {
      connection = null;
      setState("closed", closed ? "Stream closed." : "Output complete.");
    }
    function close() {
      if (closed) return;
      closed = true;
      if (root.dataset.stream === "closed") return; // already ended by the server
      if (connection) {
        if (connection.reader) connection.reader.cancel();
        connection.abortController.abort();
      }
      setState("closed", "Stream closed.");
    }

    setState("connecting", "Connecting…");
    /* hx-sse:connect is set here, after htmx has started: an element present at page
     * load could otherwise be processed before the SSE extension is registered. */
    setTimeout(function () {
      if (closed || !source.isConnected) return;
      source.setAttribute("hx-sse:connect", source.dataset.streamUrl);
      htmx.process(source);
    });
    source.addEventListener(eventName, onOutput);
    source.addEventListener("htmx:sse:after:connection", onConnected);
    source.addEventListener("htmx:sse:before:connection", onConnecting);
    source.addEventListener("htmx:sse:close", onClose);
    const modal = root.closest(".modal");
    if (modal) modal.addEventListener("hidden.bs.modal", close);
    return function () {
      close();
      source.removeEventListener(eventName, onOutput);
      source.removeEventListener("htmx:sse:after:connection", onConnected);
      source.removeEventListener("htmx:sse:before:connection", onConnecting);
      source.removeEventListener("htmx:sse:close", onClose);
      if (modal) modal.removeEventListener("hidden.bs.modal", close);
    };
  }

  function prompt(root) {
    const form = root.querySelector("[data-fhx-console-prompt]");
    if (!form) return function () {};
    const input = form.querySelector("input[name=command]");
    const history = [];
    let position = 0;
    let draft = "";

    function onRequest() {
      const command = input.value;
      if (command && history[history.length - 1] !== command) history.push(command);
      position = history.length;
      draft = "";
    }
    function onDone() {
      input.value = "";
      input.focus();
    }
    function onKey(event) {
      if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
      if (!history.length) return;
      event.preventDefault();
      if (position === history.length) draft = input.value;
      position = Math.max(0, Math.min(history.length, position + (event.key === "ArrowUp" ? -1 : 1)));
      input.value = position === history.length ? draft : history[position];
      input.setSelectionRange(input.value.length, input.value.length);
    }
    form.addEventListener("htmx:before:request", onRequest);
    form.addEventListener("htmx:after:request", onDone);
    input.addEventListener("keydown", onKey);
    return function () {
      form.removeEventListener("htmx:before:request", onRequest);
      form.removeEventListener("htmx:after:request", onDone);
      input.removeEventListener("keydown", onKey);
    };
  }

  fasthx.register("Console", "[data-fhx-console]", function (root) {
    const output = root.querySelector("[data-fhx-console-output]");
    const stops = [follow(output), stream(root, output), prompt(root)];
    return function () { stops.forEach(function (stop) { stop(); }); };
  });

  function showConsole(options) {
    window.showModal(options);
  }

  document.addEventListener("showConsole", function (event) { showConsole(event.detail); });
  window.showConsole = showConsole;
})();
