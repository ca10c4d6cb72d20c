//go:build !linux

package project

import "os"

var readDir = os.ReadDir
