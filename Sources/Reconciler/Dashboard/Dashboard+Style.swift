extension Dashboard {
    /// Plain CSS, system fonts, contrast at least 4.5:1 on every text colour used.
    static let css = #"""
    :root { --fg: #1b1f24; --muted: #4a525c; --bg: #ffffff; --line: #d0d7de; --head: #f3f5f7; --link: #0550ae;
            --ok: #116329; --warn: #7a4a00; --bad: #a40e26; --info: #0a4b9c; --focus: #0969da; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
    .skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; z-index: 10; }
    header { display: flex; gap: 16px; align-items: center; padding: 8px 16px; background: #24292f; color: #fff; }
    header .brand { font-weight: 700; }
    header nav a { color: #fff; margin-right: 12px; text-decoration: none; padding: 2px 4px; }
    header nav a[aria-current="page"] { border-bottom: 2px solid #fff; }
    #conn { margin-left: auto; font-size: 12px; }
    main { padding: 12px 16px; }
    h1 { font-size: 20px; margin: 4px 0 12px; } h2 { font-size: 16px; margin: 20px 0 8px; }
    a { color: var(--link); }
    :focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    th { background: var(--head); position: sticky; top: 0; z-index: 1; }
    .muted { color: var(--muted); }
    .Healthy, .Synced, .succeeded, .synced { color: var(--ok); font-weight: 600; }
    .Progressing, .progressing, .inProgress, .running { color: var(--info); font-weight: 600; }
    .Degraded, .Missing, .failed, .rejected, .refused { color: var(--bad); font-weight: 600; }
    .OutOfSync, .Suspended, .degraded, .superseded { color: var(--warn); font-weight: 600; }
    #banner { padding: 8px 16px; background: #ffebe9; color: var(--bad); border-bottom: 1px solid #ff8182; font-weight: 600; }
    .toolbar { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; flex-wrap: wrap; }
    input, select, button { font: inherit; padding: 4px 8px; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--fg); }
    button { background: #f6f8fa; cursor: pointer; } button:hover { background: #eaeef2; }
    #filter { width: 320px; }
    .viewport { height: calc(100vh - 170px); min-height: 240px; overflow: auto; border: 1px solid var(--line); position: relative; }
    .viewport table { table-layout: fixed; }
    .spacer td { padding: 0; border: 0; }
    tr.row { height: 29px; }
    .empty { padding: 24px; text-align: center; color: var(--muted); }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
    dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
    .actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: end; }
    .actions fieldset { border: 1px solid var(--line); border-radius: 4px; display: flex; gap: 8px; align-items: end; padding: 6px 8px; margin: 0; }
    .actions label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
    #action-result { margin-top: 8px; font-weight: 600; white-space: pre-wrap; }
    #action-result.bad { color: var(--bad); } #action-result.good { color: var(--ok); }
    pre.log { background: #0d1117; color: #e6edf3; padding: 8px; height: 320px; overflow: auto; margin: 0; font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; }
    .errors { color: var(--bad); margin: 4px 0 0 16px; padding: 0; }
    dialog { border: 1px solid var(--line); border-radius: 6px; padding: 16px; max-width: 420px; }
    dialog input { width: 100%; margin: 4px 0 12px; } .buttons { display: flex; gap: 8px; }
    """#
}
