//go:build linux

package project

import (
	"encoding/binary"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

var direntBufPool = sync.Pool{New: func() any { b := make([]byte, 8192); return &b }}

// readDir is os.ReadDir (entries sorted by name, "." and ".." left out,
// an entry of unknown type lstat'ed, one that vanished meanwhile left
// out) with raw system calls (open, getdents64, close) and a handful of
// allocations per directory instead of an os.File and two per entry.
func readDir(path string) ([]fs.DirEntry, error) {
	es, _, err := readDirStat(path, false)
	return es, err
}

// readDirStat is readDir that also returns, when stat is set, the open
// directory's fstat (taken before the listing) as os.Stat would say it; the
// stat is nil when the directory cannot be opened.
func readDirStat(path string, stat bool) ([]fs.DirEntry, fs.FileInfo, error) {
	fd, err := openRetry(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_DIRECTORY)
	if err != nil {
		return nil, nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var info fs.FileInfo
	if stat {
		var st syscall.Stat_t
		if err := fstatRetry(fd, &st); err != nil {
			return nil, nil, &fs.PathError{Op: "stat", Path: path, Err: err}
		}
		info = statInfo(path, &st)
	}
	bp := direntBufPool.Get().(*[]byte)
	defer direntBufPool.Put(bp)
	buf := *bp
	const (
		reclenOff = unsafe.Offsetof(syscall.Dirent{}.Reclen)
		typeOff   = unsafe.Offsetof(syscall.Dirent{}.Type)
		nameOff   = unsafe.Offsetof(syscall.Dirent{}.Name)
	)
	type span struct {
		start, end int
		typ        fs.FileMode
	}
	var spans []span
	var names []byte
	var readErr error
	for {
		n, err := syscall.Getdents(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			readErr = &fs.PathError{Op: "readdirent", Path: path, Err: err}
			break
		}
		if n <= 0 {
			break
		}
		for b := buf[:n]; len(b) > int(nameOff); {
			reclen := int(binary.NativeEndian.Uint16(b[reclenOff:]))
			if reclen <= int(nameOff) || reclen > len(b) {
				break
			}
			rec := b[:reclen]
			b = b[reclen:]
			name := rec[nameOff:]
			if i := slices.Index(name, 0); i >= 0 {
				name = name[:i]
			}
			if string(name) == "." || string(name) == ".." || len(name) == 0 {
				continue
			}
			typ, known := direntMode(rec[typeOff])
			if !known {
				st, err := os.Lstat(path + "/" + string(name))
				if err != nil {
					if os.IsNotExist(err) {
						continue // vanished since the listing
					}
					readErr = err
					break
				}
				typ = st.Mode().Type()
			}
			spans = append(spans, span{len(names), len(names) + len(name), typ})
			names = append(names, name...)
		}
		if readErr != nil {
			break
		}
	}
	all := string(names)
	ents := make([]dirEntry, len(spans))
	for i, s := range spans {
		ents[i] = dirEntry{dir: path, name: all[s.start:s.end], typ: s.typ}
	}
	slices.SortFunc(ents, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	out := make([]fs.DirEntry, len(ents))
	for i := range ents {
		out[i] = &ents[i]
	}
	return out, info, readErr
}

// direntMode is the type a getdents64 d_type gives, as os reads it.
func direntMode(t uint8) (fs.FileMode, bool) {
	switch t {
	case syscall.DT_BLK:
		return fs.ModeDevice, true
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice, true
	case syscall.DT_DIR:
		return fs.ModeDir, true
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe, true
	case syscall.DT_LNK:
		return fs.ModeSymlink, true
	case syscall.DT_REG:
		return 0, true
	case syscall.DT_SOCK:
		return fs.ModeSocket, true
	}
	return 0, false
}

// dirEntry is an fs.DirEntry of readDir.
type dirEntry struct {
	dir, name string
	typ       fs.FileMode
}

func (e *dirEntry) Name() string               { return e.name }
func (e *dirEntry) IsDir() bool                { return e.typ.IsDir() }
func (e *dirEntry) Type() fs.FileMode          { return e.typ }
func (e *dirEntry) Info() (fs.FileInfo, error) { return os.Lstat(e.dir + "/" + e.name) }
func (e *dirEntry) String() string             { return fs.FormatDirEntry(e) }
