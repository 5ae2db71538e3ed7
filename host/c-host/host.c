/* A C program that owns and runs a libuv loop (Debian's system libuv, libuv1-dev) and loads a
 * uvco plugin built in host mode with dlopen: the embedding shape of Neovim, Julia and other C
 * hosts. Exits 0 only if the plugin ran its whole tour on this loop and the loop closed clean.
 *
 * usage: c-host PLUGIN.so FILE */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

typedef int (*start_fn)(uv_loop_t *, const char *);
typedef const char *(*report_fn)(void);
typedef void (*stop_fn)(void);

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PLUGIN.so FILE\n", argv[0]);
        return 2;
    }
    printf("c-host: libuv %s\n", uv_version_string());
    uv_loop_t loop;
    if (uv_loop_init(&loop) != 0) return 1;

    void *plugin = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!plugin) {
        fprintf(stderr, "c-host: dlopen: %s\n", dlerror());
        return 1;
    }
    start_fn start = (start_fn)dlsym(plugin, "uvco_plugin_start");
    report_fn report = (report_fn)dlsym(plugin, "uvco_plugin_report");
    stop_fn stop = (stop_fn)dlsym(plugin, "uvco_plugin_stop");
    if (!start || !report || !stop) {
        fprintf(stderr, "c-host: missing plugin symbols\n");
        return 1;
    }

    int started = start(&loop, argv[2]);
    uv_run(&loop, UV_RUN_DEFAULT); /* returns when the plugin's work is done */
    const char *text = report();
    printf("c-host: plugin report:\n%s", text);
    int ok = started == 0 && strstr(text, "tour: ok") != NULL;

    stop();
    uv_run(&loop, UV_RUN_DEFAULT); /* the runtime's handles close */
    int closed = uv_loop_close(&loop);
    printf("c-host: uv_loop_close = %d\n", closed);
    dlclose(plugin);
    return ok && closed == 0 ? 0 : 1;
}
