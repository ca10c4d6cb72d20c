package server

import (
	"context"
	"encoding/json"
)

func (s *Server) hover(ctx context.Context, raw json.RawMessage) (any, error)          { return nil, nil }
func (s *Server) codeAction(ctx context.Context, raw json.RawMessage) (any, error)     { return []any{}, nil }
func (s *Server) completion(ctx context.Context, raw json.RawMessage) (any, error)     { return nil, nil }
func (s *Server) definition(ctx context.Context, raw json.RawMessage) (any, error)     { return nil, nil }
func (s *Server) documentSymbol(ctx context.Context, raw json.RawMessage) (any, error) { return []any{}, nil }
