// Small browser helpers for the studio. Loaded as a plain script (CSP: script-src 'self').
window.studio = {
    setCookie: function (name, value, days) {
        const expires = new Date(Date.now() + (days || 365) * 864e5).toUTCString();
        document.cookie = name + "=" + encodeURIComponent(value) + "; expires=" + expires + "; path=/; SameSite=Lax";
    },
    // The width below which MudBlazor's responsive drawer (md breakpoint) covers the page instead of pushing it.
    isNarrow: function () {
        return window.matchMedia("(max-width: 959px)").matches;
    },
    scrollToEnd: function (element) {
        if (element) {
            element.scrollTop = element.scrollHeight;
        }
    },
    downloadText: function (fileName, text) {
        const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
        const link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    },
    // The paths of the files of a folder input under the chosen folder ("src/train.py"), in the input's order.
    relativePaths: function (input) {
        return input && input.files ? Array.from(input.files).map(function (f) { return f.webkitRelativePath || f.name; }) : [];
    },
    // Ctrl+K (Cmd+K on a Mac) opens the quick finder anywhere in the studio, also inside a text box.
    onQuickFind: function (component) {
        if (window.studio._quickFind) {
            document.removeEventListener("keydown", window.studio._quickFind);
        }
        window.studio._quickFind = function (e) {
            if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === "k" || e.key === "K")) {
                e.preventDefault();
                component.invokeMethodAsync("OpenQuickFindAsync");
            }
        };
        document.addEventListener("keydown", window.studio._quickFind);
    },
    // Focuses an element of a dialog that is opening: MudBlazor's focus trap moves focus as the dialog settles, so try
    // again for a moment until the element keeps it.
    focusSoon: function (selector) {
        let tries = 0;
        const attempt = function () {
            const element = document.querySelector(selector);
            if (element && document.activeElement !== element) {
                element.focus();
            }
            if (++tries < 8 && (!element || document.activeElement !== element)) {
                setTimeout(attempt, 50);
            }
        };
        attempt();
        setTimeout(attempt, 150);
    },
    copyText: function (text) {
        return navigator.clipboard ? navigator.clipboard.writeText(text).then(() => true, () => false) : Promise.resolve(false);
    }
};
