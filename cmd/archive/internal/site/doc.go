// Package site builds an archive's static site: it loads content/ (one
// Markdown file per article, see package article for the front matter),
// seeds/ (the raw archived texts) and archive.toml, renders every page with
// html/template layouts, goldmark and chroma, and writes each page as soon
// as it is made: into a staging folder that replaces the destination only
// when the whole build succeeded (BuildTo), or into memory for tests and
// small sites (Build). Memory holds the loaded site and the pages in
// flight, not the rendered site.
//
// # Site root
//
//	archive.toml   site configuration (Config); optional, unknown keys are errors
//	content/       articles, *.md; names starting with . or _ are skipped
//	seeds/         raw archived files, published untouched with their SHA-256
//	layouts/       overrides of the embedded default layouts, by file name
//
// # URLs
//
//	/                          every article in order of publication (paginated)
//	/articles/<slug>/          one article (slug: front matter slug, else id, else file name)
//	/stories/<slug>/           one story's articles          /stories/   every story
//	/outlets/<slug>/           one outlet's articles         /outlets/   every outlet
//	/seeds/<name>/             a raw seed, numbered lines (#L12), SHA-256
//	/seeds/<name>.txt          the raw seed file itself      /seeds/     every seed
//	/titles/                   every article by title
//	/<alias>/                  a redirect page per front-matter alias
//	/_redirects                the aliases as Netlify 301s (when there are any)
//	/404.html, /sitemap.xml, /index.xml (Atom), /robots.txt
//	/style.<hash>.css          the one stylesheet (layouts + chroma light/dark)
//
// Every list is paginated, Config.Paginate entries a page, at stable URLs
// as Hugo makes them: the list's own URL, then page/2/, page/3/ ... (see
// Pager). Every page is bounded by its own content: an article page links
// the previous and next articles of its story and the story's page, not
// the whole story. Every path is under the path of baseURL. Two pages that
// claim one URL are an error. A permalink never changes once published:
// give an article an id (it makes the slug when there is none) and, when a
// page moves anyway, an alias for each old path.
//
// # Hugo sites
//
// A site root with a Hugo configuration (hugo.toml, config.toml,
// config.yaml, config.json or config/_default/; package hugoconfig) is
// built as Hugo lays it out (hugosite.go). Its config gives the title,
// baseURL, languageCode, params.description, copyright and the page size
// (paginate / pagination.pagerSize); archive.toml, when there is one too,
// wins and adds the archive's own keys. Then:
//
//	content folder   contentDir of the default language; .md .markdown .html
//	                 pages, front matter and title optional; x.<lang>.md of
//	                 other languages and ignoreFiles left out; headless,
//	                 outputs without HTML, expiryDate past (the site's newest
//	                 date, never the clock) and build.render never unpublished
//	URLs             url:, else [permalinks] by section (:year :slug ...),
//	                 else /<folders>/<slug or file name>/ (a bundle's folder),
//	                 /x.html with uglyURLs; paths lower-cased and sanitized as
//	                 Hugo's; relative aliases resolved from the page's folder
//	bundles          a leaf bundle's other files beside its page, a branch
//	                 bundle's beside its list; other files at their path
//	lists            /<section>/ (its _index.md), /<taxonomy>/, /<taxonomy>/<term>/
//	                 paginated at page/N/ (page/1/ redirects), with Atom feeds
//	                 at their index.xml
//	static/          the site's and its themes', copied as they are; a page of
//	                 the site wins over a static file and over the archive's
//	                 own pages (search ...) of the same path, with a warning
//	shortcodes       run before Markdown (package shortcode): the site's and
//	                 its themes' layouts/shortcodes, else Hugo's built-ins
//	Markdown         Hugo's goldmark extensions and heading ids; the summary
//	                 is the text before <!--more-->
//
// A Hugo site's layouts/ are Hugo's templates, which the archive does not
// run: it renders with its own layouts (unless archive.toml is there too).
// What the archive reads of a page's text (passages, search) is its prose
// only: shortcodes, code, raw HTML and link targets are blanked at their
// offsets, so that every mark lands on words the page shows.
//
// # Stories
//
// Articles with the same front-matter story ("story: Interpol and
// encryption") form a story; the rest form archive.toml's story.
//
// # Layouts
//
// Each page kind (home, single, story, stories, outlet, outlets, seed,
// seeds, titles, 404, alias) executes baseof.html with <kind>.html parsed
// on top. Another *.html that defines "main" is a kind for pages features
// add (such as passage.html); every other *.html is a partial, which
// features also render their pieces of HTML with (Site.Render). A layout
// gets a *Page: .Kind, .Title, .Description, .URL, .Permalink, .Site
// (*SiteData: the Config fields plus .Count, the lists' sizes, .Stylesheet,
// .Feed, .Home, and .Nav, the links features add), and by kind .Article,
// .Outlet, .Story, .Seed, .Target (alias), .Data (a feature's page); a page
// of a list has .Pager and its entries (.List and .Items, the entries'
// layouts/item.html joined; .Stories, .Outlets, .Seeds; .Titles and
// .Letters). What features add is typed: .Notes (the marks' notes,
// numbered), .Related (a short list of links), .Lines (a seed's highlighted
// lines); .Cite is how to cite an article. .Chrome is the site's head
// links, header and footer lines, rendered once per build from the
// templates of chrome.html (executed with a Page that has only .Site and
// .URL) for baseof.html to write as they are; an article page's
// .StoryLine, .RelatedItems and .OutletLink (its story's line, its
// "Shares passages with" entries, its outlet's link) are rendered once
// per build for every page that shows them, from the templates of
// fragments.html. Functions: date, isodate,
// shortdate, plural; an article's .Dated, .ISODate and .DateText are what
// `not .Date.IsZero`, `isodate .Date` and `date .Date` say, made once per
// build (a template call costs more than a field, and pages make many). Scripts (*.js) in layouts/ are published at the site
// root as they are.
//
// # Markdown
//
// goldmark with GFM tables, strikethrough and linkify; no typographer, so the
// archived wording stays as it was; raw HTML only with unsafe_html: true.
// Fenced code is highlighted by chroma with CSS classes. A level-2 heading
// "Reader comments" starts the reader comments (see Comments). Features
// mark stretches of an article's body (Mark) by byte offsets into
// Article.Src.Body, as package annotate reports them; the parser is given
// the body unchanged, so text segments are body offsets, and package marks
// wraps them in <mark> with the note (layouts/noteref.html) after.
//
// # Features
//
// What the plain site does not have plugs in through Feature (see its
// documentation): each build, a feature analyses the loaded site, gives
// article, outlet and seed pages typed additions, and emits its own pages
// and files; data flows one way, load → analyse → mark → render → write.
//
// # Incremental builds and fingerprints
//
// A Builder keeps the files it read and, for every output file, a Key of
// everything it shows (its inputs and the layout files of its kind), and
// renders a file again only when its Key changed. Keys are the one
// fingerprint mechanism of the archive: features key their pages with the
// same Hasher. Build(ctx, changed) re-reads the changed paths. Output is
// deterministic: no clock, sorted iteration, so two builds are
// byte-identical.
package site
