// Package sitecheck holds the checks that CI runs on the built site with
// the web's own tools. It has no code of its own: its tests build the
// bundled archive (the repository's content/, seeds/, layouts/ and
// archive.toml) in process, with the same options as `archive build`
// (features.Options), and check the result:
//
//   - every internal link and #fragment resolves (package linkcheck);
//   - the HTML validates (html-validate from npm, configured by
//     .htmlvalidate.json at the repository root);
//   - axe-core in headless Chromium finds no serious or critical
//     violation on the home, an article, a passage, an outlet and the
//     search page, in light and dark mode;
//   - Lighthouse scores an article page at least 95 for performance and 100
//     for accessibility, best practices and SEO, served from 127.0.0.1 with
//     netlify.toml's headers;
//   - an article page weighs under 60 KB gzipped with its CSS and scripts,
//     and no script in any page's <head> blocks rendering;
//   - pages load under netlify.toml's Content-Security-Policy with no
//     violation;
//   - hostile configuration, front matter, Markdown, editor notes and raw
//     seeds (script tags, javascript: links, attribute-breaking quotes)
//     never execute, never become handlers or links, stay data in JSON-LD
//     and Atom, and still make valid HTML;
//   - cmd/archive's siteFeatures is features.Options and nothing else, so
//     that what is checked here is what gets published.
//
// Each detector is also run on a page that breaks its rule (the *Catches
// tests), so that a tool that reports nothing cannot pass.
//
// The npm tools come from package.json (npm ci). Tests that need one skip
// with an install hint when node_modules lacks it, and fail instead under
// ARCHIVE_REQUIRE_BROWSER=1, as in CI; so do the browser tests without
// Chromium (package browsertest).
package sitecheck
