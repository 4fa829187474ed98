package annotate

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// TestFindContext: a done context stops Find with its error; a live one
// changes nothing.
func TestFindContext(t *testing.T) {
	docs := []Document{
		{ID: "a", Text: "Intro. The draft resolution says that companies must give police access to encrypted messages. End."},
		{ID: "b", Text: "Other words. The draft resolution says that companies must give police access to encrypted messages. More."},
	}
	want, err := Find(docs)
	if err != nil || len(want) == 0 {
		t.Fatalf("Find: %d passages, %v", len(want), err)
	}
	got, err := Find(docs, WithContext(context.Background()))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("with a live context: %v, %v; want the passages found without one", got, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got, err := Find(docs, WithContext(ctx)); !errors.Is(err, context.Canceled) || got != nil {
		t.Errorf("with a done context: %d passages, %v; want none and context.Canceled", len(got), err)
	}
}
