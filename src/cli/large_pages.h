#pragma once
// The command line's large blocks (large_pages.cpp), seen from the commands.

namespace jpclear::cli {

/// While one of these lives, every large block the command line's allocator
/// maps is faulted in by a helper thread, newest block first, while its owner
/// fills it.
///
/// Why. On a virtual machine the first write to a fresh page costs more than
/// most of what is computed on it (zeroing, and often backing by the host).
/// Clearing a 10^6-order round maps about 230 MB of blocks (the order book,
/// the id table, the Result's order lists) and writes nearly all of each, so
/// faulting them in on the second core costs no memory the clearing would
/// not take anyway. Only a scope that knows its blocks are filled whole should
/// open one (the command line opens one around clear() alone): reading does
/// not (its lists are reserved beyond their length; the reader faults them in
/// on its own, src/io/prefault.h), nor does writing (strings grown by
/// doubling). A block freed while it is being faulted in stops being faulted
/// after the current 2 MiB step.
///
/// Does nothing where the allocator is left out (sanitizers, a build with
/// JPCLEAR_LARGE_PAGES=OFF, JPCLEAR_LARGE_PAGES=0 at run time), where no
/// thread can be started, or on a kernel without MADV_POPULATE_WRITE. Scopes
/// do not nest: a second one while another lives does nothing.
class PrefaultLargeBlocks {
public:
    PrefaultLargeBlocks();
    ~PrefaultLargeBlocks();
    PrefaultLargeBlocks(const PrefaultLargeBlocks&) = delete;
    PrefaultLargeBlocks& operator=(const PrefaultLargeBlocks&) = delete;

private:
    [[maybe_unused]] bool started_ = false;  // unread where the allocator is left out
};

}  // namespace jpclear::cli
