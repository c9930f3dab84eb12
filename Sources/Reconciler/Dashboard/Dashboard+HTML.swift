extension Dashboard {
    /// The one page: navigation, a main region each route fills, the token dialog.
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Converge</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/dashboard.css">
    </head>
    <body>
    <a class="skip" href="#main">Skip to content</a>
    <header>
      <span class="brand">Converge</span>
      <nav aria-label="Pages">
        <a href="#/services" id="nav-services">Services</a>
        <a href="#/controller" id="nav-controller">Controller</a>
      </nav>
      <span id="conn" role="status" aria-live="polite"></span>
      <button type="button" id="forget-token" hidden>Forget token</button>
    </header>
    <div id="banner" role="alert" hidden></div>
    <main id="main" tabindex="-1"></main>
    <dialog id="token-dialog" aria-labelledby="token-title">
      <form id="token-form" method="dialog">
        <h2 id="token-title">API token</h2>
        <p>This action changes the cluster. Paste the controller's bearer token (kept in this tab only).</p>
        <label for="token-input">Token</label>
        <input id="token-input" type="password" autocomplete="off" required>
        <div class="buttons">
          <button type="submit" id="token-ok">Send</button>
          <button type="button" id="token-cancel">Cancel</button>
        </div>
      </form>
    </dialog>
    <script src="/dashboard.js"></script>
    </body>
    </html>
    """#
}
