using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using Studio.Domain.Workspaces;
using Studio.Web.Model;

namespace Studio.Web.Components.Dialogs;

/// <summary>Creates a workspace, or renames one. Field errors from the server land on the field they concern.</summary>
public partial class WorkspaceDialog
{
    private readonly WorkspaceFormModel _model = new();
    private readonly Dictionary<string, string> _serverErrors = new(StringComparer.OrdinalIgnoreCase);
    private MudForm? _form;
    private bool _valid;
    private bool _busy;
    private string? _generalError;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Inject]
    public required WorkspaceCatalog Catalog { get; init; }

    /// <summary>The workspace to rename. <remarks>Defaults to null: create a new one.</remarks></summary>
    [Parameter]
    public string? Existing { get; set; }

    /// <summary>The current description when renaming.</summary>
    [Parameter]
    public string? ExistingDescription { get; set; }

    protected override void OnInitialized()
    {
        _model.Name = Existing;
        _model.Description = ExistingDescription;
    }

    private static string? ValidateName(string? value) => WorkspaceName.Validate(value);

    private string? ServerError(string field) => _serverErrors.TryGetValue(field, out var message) ? message : null;

    private void ClearServerError(KeyboardEventArgs _) => _serverErrors.Clear();

    private void Cancel() => Dialog.Cancel();

    private async Task SubmitAsync()
    {
        _serverErrors.Clear();
        _generalError = null;
        if (_form is not null)
        {
            await _form.ValidateAsync();
        }

        if (!_valid && _form is not null)
        {
            return;
        }

        _busy = true;
        try
        {
            var actor = await GetActorAsync();
            var result = Existing is null
                ? await Catalog.CreateAsync(actor, _model.Name, _model.Description)
                : await Catalog.UpdateAsync(actor, Existing, _model.Name, _model.Description ?? string.Empty);
            if (result.IsSuccess)
            {
                Dialog.Close(DialogResult.Ok(result.Value.Name));
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
