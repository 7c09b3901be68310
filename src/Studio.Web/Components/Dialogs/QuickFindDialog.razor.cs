using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;
using Studio.Web.Model;

namespace Studio.Web.Components.Dialogs;

public partial class QuickFindDialog
{
    private string? _text;
    private string? _searched;
    private bool _searching;
    private IReadOnlyList<QuickFindHit> _hits = [];
    private int _selected;
    private int _generation;
    private string? _searchedFor;
    private bool _focused;

    /// <summary>How long typing must pause before a search runs (Enter searches at once).</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    /// <summary>The workspace of the page the finder was opened on: its jobs and assets come first.</summary>
    [Parameter]
    public string? Workspace { get; set; }

    [Inject]
    public required QuickFind Finder { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Typing goes to the search box straight away. The dialog renders its content after its own first render, so
        // the box is there on a later render, once.
        if (!_focused)
        {
            _focused = true;
            await JS.InvokeVoidAsync("studio.focusSoon", "[data-testid=quick-find-text]");
        }
    }

    private async Task OnInputAsync(ChangeEventArgs e)
    {
        _text = e.Value as string;
        var generation = ++_generation;
        await Task.Delay(Debounce, CircuitToken);
        if (generation == _generation)
        {
            await SearchAsync(_text);
        }
    }

    private async Task SearchAsync(string? text)
    {
        _searchedFor = text;
        var generation = ++_generation;
        if (string.IsNullOrWhiteSpace(text))
        {
            (_hits, _searched, _searching, _selected) = ([], null, false, 0);
            return;
        }

        _searching = true;
        var hits = await Finder.SearchAsync(await GetActorAsync(), text, Workspace, CircuitToken);
        if (generation != _generation)
        {
            return; // the person typed on; a newer search answers
        }

        (_hits, _searched, _searching, _selected) = (hits, text.Trim(), false, 0);
    }

    private async Task KeyDownAsync(KeyboardEventArgs e)
    {
        switch (e.Key)
        {
            case "ArrowDown" when _hits.Count > 0:
                _selected = (_selected + 1) % _hits.Count;
                break;
            case "ArrowUp" when _hits.Count > 0:
                _selected = (_selected - 1 + _hits.Count) % _hits.Count;
                break;
            case "Enter":
                // Enter may come before the pause that searches: search what is typed now, then open the choice.
                if (!string.IsNullOrWhiteSpace(_text) && (_searchedFor != _text || _searching))
                {
                    await SearchAsync(_text);
                }

                if (_hits.Count > 0)
                {
                    var href = _hits[Math.Clamp(_selected, 0, _hits.Count - 1)].Href;
                    Dialog.Close();
                    Navigation.NavigateTo(href);
                }

                break;
        }
    }
}
