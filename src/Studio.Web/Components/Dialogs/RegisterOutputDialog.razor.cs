using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Infrastructure.Assets;

namespace Studio.Web.Components.Dialogs;

/// <summary>
/// Registers a complete job output as a new version of a data asset or a model (name, version, model type,
/// description) through <see cref="JobOutputRegistration"/>: the API's rules, with a bad name or a taken version shown
/// on its field. Closes with the new version.
/// </summary>
public partial class RegisterOutputDialog
{
    private static readonly IReadOnlyList<string> ModelTypes = ["custom_model", "mlflow_model", "triton_model"];

    private readonly Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);
    private string _asset = "model";
    private string? _name;
    private string? _version;
    private string _type = ModelTypes[0];
    private string? _description;
    private string? _generalError;
    private bool _busy;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Inject]
    public required JobOutputRegistration Registration { get; init; }

    [Parameter, EditorRequired]
    public string Workspace { get; set; } = string.Empty;

    [Parameter, EditorRequired]
    public string Job { get; set; } = string.Empty;

    [Parameter, EditorRequired]
    public string Output { get; set; } = string.Empty;

    /// <summary>The output's type (<c>uri_folder</c> or <c>uri_file</c>), which a data asset keeps.</summary>
    [Parameter]
    public string OutputType { get; set; } = "uri_folder";

    private bool IsModel => _asset == "model";

    private string? Err(string field) => _errors.GetValueOrDefault(field);

    private async Task SubmitAsync()
    {
        _errors.Clear();
        _generalError = null;
        _busy = true;
        try
        {
            var request = new JobOutputRegistrationRequest(_asset, _name, string.IsNullOrWhiteSpace(_version) ? null : _version.Trim(), IsModel ? _type : null, string.IsNullOrWhiteSpace(_description) ? null : _description);
            var result = await Registration.RegisterAsync(await GetActorAsync(), Workspace, Job, Output, request, CircuitToken);
            if (result.IsSuccess)
            {
                Dialog.Close(DialogResult.Ok(new RegisteredOutput(_asset, result.Value)));
                return;
            }

            _generalError = FormErrors.Show(result.Errors, _errors);
        }
        finally
        {
            _busy = false;
        }
    }
}

/// <summary>What <see cref="RegisterOutputDialog"/> registered: <c>data</c> or <c>model</c>, and the new version.</summary>
public sealed record RegisteredOutput(string Asset, AssetVersionView Version);
