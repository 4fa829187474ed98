// Package annotate finds passages that texts share.
package annotate
