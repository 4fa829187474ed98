package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
	"golang.org/x/net/html"
)

// BenchmarkWARCFloor measures what any importer of a WARC of HTML pages
// must pay before extracting anything, on the same WARC as
// BenchmarkReadWARC's pages shape and with its shape of work: one
// goroutine inflates the stream and cuts it into records, one worker per
// core takes each record's HTTP body and
//
//	gunzip     does nothing with it (the inflate and the cut alone)
//	tokenize   runs x/net/html's tokenizer over it: the least a streaming
//	           extractor (no DOM) would do
//	parse      builds the DOM with html.Parse: the least a DOM-based
//	           extractor such as Readability would do
//
// If parse cannot reach a throughput, no DOM-based extractor can.
func BenchmarkWARCFloor(b *testing.B) {
	pages := benchPages(b)
	path, size, _ := writeBenchWARC(b, pages, false)
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	works := []struct {
		name string
		work func([]byte)
	}{
		{"gunzip", func([]byte) {}},
		{"tokenize", func(body []byte) {
			z := html.NewTokenizer(bytes.NewReader(body))
			for z.Next() != html.ErrorToken {
			}
		}},
		{"parse", func(body []byte) {
			if _, err := html.Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}},
	}
	for _, w := range works {
		b.Run(w.name, func(b *testing.B) {
			b.SetBytes(size)
			cpu0 := cpuSeconds()
			for b.Loop() {
				if n := floorRun(b, src, w.work); n != len(pages) {
					b.Fatalf("%d pages, want %d", n, len(pages))
				}
			}
			cpu := (cpuSeconds() - cpu0) / float64(b.N)
			b.ReportMetric(float64(size)/(1<<20)/cpu, "MB/cpu-s")
			b.ReportMetric(cpu*1000/float64(len(pages)), "cpu-ms/page")
		})
	}
}

// floorRun reads the gzipped WARC src as ReadWARC does (one inflating
// reader, a worker per core) and hands each HTTP body to work.
func floorRun(b *testing.B, src []byte, work func([]byte)) int {
	zr, err := kgzip.NewReader(bytes.NewReader(src))
	if err != nil {
		b.Fatal(err)
	}
	br := bufio.NewReaderSize(zr, 64<<10)
	bodies := make(chan []byte, 64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for body := range bodies {
				work(body)
			}
		})
	}
	n := 0
	for {
		length := int64(-1)
		for {
			line, err := br.ReadSlice('\n')
			if errors.Is(err, io.EOF) && len(line) == 0 {
				close(bodies)
				wg.Wait()
				return n
			}
			if err != nil {
				b.Fatal(err)
			}
			line = bytes.TrimRight(line, "\r\n")
			if len(line) == 0 {
				break
			}
			if k, v, ok := bytes.Cut(line, []byte(":")); ok && string(k) == "Content-Length" {
				length, _ = strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
			}
		}
		if length < 0 {
			b.Fatal("a record without Content-Length")
		}
		block := make([]byte, length+4)
		if _, err := io.ReadFull(br, block); err != nil {
			b.Fatal(err)
		}
		if i := bytes.Index(block, crlf2); i >= 0 {
			bodies <- block[i+4 : length]
			n++
		}
	}
}
