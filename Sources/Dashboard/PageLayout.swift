/// The frame every dashboard page shares: a self-contained HTML document (styles inline,
/// nothing fetched from elsewhere), a dark and a light theme — the system's by default, a
/// button to switch, remembered by the browser — and the navigation bar.
enum PageLayout {
    /// `root` is the relative path from the page to the site's root ("" or "../../"), so that
    /// the same pages work when served and when exported as files.
    static func document(title: String, root: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Html.escape(title)) · Ferrite lab</title>
        <style>\(style)</style>
        <script>
        (function () {
          var saved = localStorage.getItem("ferrite-theme");
          if (saved) document.documentElement.dataset.theme = saved;
        })();
        function toggleTheme() {
          var dark = getComputedStyle(document.documentElement).getPropertyValue("--scheme").trim() === "dark";
          var next = dark ? "light" : "dark";
          document.documentElement.dataset.theme = next;
          localStorage.setItem("ferrite-theme", next);
        }
        </script>
        </head><body>
        <header><a class="brand" href="\(root)index.html">Ferrite lab</a>
        <span class="crumb">\(Html.escape(title))</span>
        <button type="button" onclick="toggleTheme()" title="Switch between dark and light">Theme</button></header>
        <main>
        \(body)
        </main>
        </body></html>
        """
    }

    static let style = """
        :root { --scheme: light; --bg: #ffffff; --fg: #1d232b; --muted: #5d6875; --grid: #e3e7ec; --axis: #8a96a3;
          --panel: #f6f8fa; --border: #d5dbe1; --s0: #1f6feb; --s1: #cf4a1c; --s2: #1a8f5a; --s3: #8250df;
          --bad: #d1242f; --good: #1a7f37; --link: #0b5cc7; }
        @media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { --scheme: dark; --bg: #0f1419; --fg: #e2e8ee;
          --muted: #9aa6b2; --grid: #26303a; --axis: #6b7785; --panel: #161d24; --border: #2c3742; --s0: #58a6ff;
          --s1: #ff8a4c; --s2: #3fcf8e; --s3: #b392f0; --bad: #ff6b6b; --good: #56d364; --link: #79b8ff; } }
        :root[data-theme="dark"] { --scheme: dark; --bg: #0f1419; --fg: #e2e8ee; --muted: #9aa6b2; --grid: #26303a;
          --axis: #6b7785; --panel: #161d24; --border: #2c3742; --s0: #58a6ff; --s1: #ff8a4c; --s2: #3fcf8e;
          --s3: #b392f0; --bad: #ff6b6b; --good: #56d364; --link: #79b8ff; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, sans-serif; }
        header { display: flex; gap: 16px; align-items: center; padding: 10px 20px; border-bottom: 1px solid var(--border); background: var(--panel); }
        header .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
        header .crumb { color: var(--muted); flex: 1; }
        header button { background: var(--bg); color: var(--fg); border: 1px solid var(--border); border-radius: 6px; padding: 4px 10px; cursor: pointer; }
        main { padding: 16px 20px 40px; max-width: 1600px; }
        a { color: var(--link); }
        h1 { font-size: 20px; margin: 8px 0 12px; } h2 { font-size: 17px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 18px 0 6px; }
        .muted { color: var(--muted); }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 12px; }
        .chart { width: 100%; max-width: 900px; height: auto; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; }
        .chart text { fill: var(--fg); font-size: 11px; } .chart .tick { fill: var(--muted); }
        .chart .chart-title { font-size: 13px; font-weight: 600; } .chart .axis-title { fill: var(--muted); font-size: 11px; }
        .chart .grid { stroke: var(--grid); } .chart .axis { stroke: var(--axis); }
        .chart .line { fill: none; stroke-width: 2; } .chart .dashed { stroke-dasharray: 5 4; stroke-width: 1.5; }
        .series-0 .line { stroke: var(--s0); } .series-0 circle { fill: var(--s0); }
        .series-1 .line { stroke: var(--s1); } .series-1 circle { fill: var(--s1); }
        .series-2 .line { stroke: var(--s2); } .series-2 circle { fill: var(--s2); }
        .series-3 .line { stroke: var(--s3); } .series-3 circle { fill: var(--s3); }
        .chart .marker line { stroke: var(--bad); stroke-dasharray: 3 3; } .chart .marker text { fill: var(--bad); font-weight: 600; }
        .chart .marker.improvement line { stroke: var(--good); } .chart .marker.improvement text { fill: var(--good); }
        table { border-collapse: collapse; margin: 6px 0 14px; font-variant-numeric: tabular-nums; }
        th, td { border-bottom: 1px solid var(--border); padding: 4px 10px; text-align: right; }
        th:first-child, td:first-child, td.text, th.text { text-align: left; }
        th { color: var(--muted); font-weight: 600; }
        .regression { color: var(--bad); font-weight: 600; } .improvement { color: var(--good); font-weight: 600; }
        code { font-size: 12px; }
        """
}
