using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Environments;

namespace Studio.Web.Components.Dialogs;

/// <summary>Registers a version of a named environment; the same rules as the API, messages on their fields.</summary>
public partial class EnvironmentDialog
{
    private readonly Dictionary<string, string> _serverErrors = new(StringComparer.OrdinalIgnoreCase);
    private string? _name;
    private string? _version;
    private string? _image;
    private string? _description;
    private string? _generalError;
    private bool _busy;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Inject]
    public required EnvironmentService Service { get; init; }

    [Parameter, EditorRequired]
    public string Workspace { get; set; } = string.Empty;

    private IReadOnlyList<string> Warnings =>
        string.IsNullOrWhiteSpace(_image) || JobSpecRules.ValidateImage(_image.Trim()) is not null ? [] : JobSpecRules.ImageWarnings(_image.Trim());

    private string? ServerError(string field) => _serverErrors.TryGetValue(field, out var message) ? message : null;

    private void ClearServerErrors(KeyboardEventArgs _) => _serverErrors.Clear();

    private async Task SubmitAsync()
    {
        _serverErrors.Clear();
        _generalError = null;
        _busy = true;
        try
        {
            var result = await Service.RegisterAsync(await GetActorAsync(), Workspace, _name, _version, _image, _description, CircuitToken);
            if (result.IsSuccess)
            {
                Dialog.Close(DialogResult.Ok(result.Value));
                return;
            }

            _generalError = FormErrors.Show(result.Errors, _serverErrors) ?? _generalError;
        }
        finally
        {
            _busy = false;
        }
    }
}
