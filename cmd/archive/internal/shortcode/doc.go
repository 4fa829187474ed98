// Package shortcode runs Hugo shortcodes in the Markdown of a Hugo site's
// content, for the archive's builds of Hugo sites.
//
// A Set holds the shortcodes a site can call: Hugo's built-in ones that
// make sense on a static archive (figure, highlight, param, ref, relref,
// details, comment; the embeds youtube, vimeo, tweet/x, instagram and gist
// become links, as the archive's pages load nothing from elsewhere),
// and the site's and its themes' templates under layouts/shortcodes/ (or
// _shortcodes/), with their partials. Those templates are html/template
// with the part of Hugo's template functions that makes sense without its
// asset pipeline, and see the page and site through Page, Site,
// Resources and Scratch, which the caller fills once per build.
//
// Parse finds the calls in a page body ({{< >}}, {{% %}}, closing tags,
// {{</* */>}} escapes, inline shortcodes) and reports every problem by
// line. Set.Expand runs them and returns an Expansion: the body with each
// call replaced by a placeholder of the same length, so that every other
// byte keeps its offset, and each call's output. Extension is the goldmark
// side, which puts the outputs back where their placeholders were (in
// text, blocks, link destinations, raw HTML and code). Mask blanks the
// calls out of a body for analyses of the page's words.
package shortcode
