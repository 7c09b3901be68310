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
    copyText: function (text) {
        return navigator.clipboard ? navigator.clipboard.writeText(text).then(() => true, () => false) : Promise.resolve(false);
    }
};
