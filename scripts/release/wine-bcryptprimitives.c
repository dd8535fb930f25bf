/* Wine 8.0 (Debian 12) lacks bcryptprimitives.dll, which Rust's standard
 * library imports for ProcessPrng on every Windows since 8. This stand-in is
 * put beside streetpress.exe only inside the Wine smoke test's prefix, never
 * in a release zip: real Windows has the DLL. */
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
