using Microsoft.AspNetCore.Components;
using MudBlazor;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Infrastructure.Datastores;

namespace Studio.Web.Components.Dialogs;

/// <summary>
/// Creates or changes a datastore (administrators): kind, where it is, how the studio authenticates (the secret is
/// write-only: a change without it keeps the stored one), and "Test connection" on the settings before they are saved.
/// The same rules as the API; messages on their fields.
/// </summary>
public partial class DatastoreDialog
{
    private static readonly HashSet<string> Shown = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "kind", "endpoint", "container", "prefix", "region", "auth", "description",
        "credentials.accountKey", "credentials.sasToken", "credentials.accessKeyId", "credentials.secretAccessKey",
    };

    private readonly Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);
    private string? _name;
    private DatastoreKind _kind = DatastoreKind.AzureBlob;
    private DatastoreAuth _auth = DatastoreAuth.AccountKey;
    private string? _endpoint;
    private string? _container;
    private string? _prefix;
    private string? _region;
    private bool _pathStyle = true;
    private string? _description;
    private string? _accountKey;
    private string? _sasToken;
    private string? _accessKeyId;
    private string? _secretAccessKey;
    private DatastoreConnectionResult? _test;
    private string? _generalError;
    private bool _busy;
    private bool _filled;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Inject]
    public required DatastoreService Service { get; init; }

    [Parameter, EditorRequired]
    public string Workspace { get; set; } = string.Empty;

    /// <summary>The datastore to change; null creates one.</summary>
    [Parameter]
    public DatastoreView? Existing { get; set; }

    private bool NeedsSecret => _auth is DatastoreAuth.AccountKey or DatastoreAuth.Sas or DatastoreAuth.AccessKey;

    private string EndpointLabel => _kind switch
    {
        DatastoreKind.AzureBlob => "Blob service URL",
        DatastoreKind.S3 => "S3 endpoint",
        _ => "Base URL",
    };

    private string EndpointHint => _kind switch
    {
        DatastoreKind.AzureBlob => "https://ACCOUNT.blob.core.windows.net",
        DatastoreKind.S3 => "https://s3.REGION.amazonaws.com, or your MinIO/Ceph address",
        _ => "https://host/path: files are read below it; nothing is written.",
    };

    protected override void OnParametersSet()
    {
        if (_filled || Existing is not { } store)
        {
            return;
        }

        _filled = true;
        (_kind, _auth, _endpoint, _container, _prefix, _region, _pathStyle, _description) =
            (store.Kind, store.Auth, store.Endpoint, store.Container, store.Prefix, store.Region, store.PathStyle, store.Description);
    }

    private bool Has(string field) => _errors.ContainsKey(field);

    private string? Err(string field) => _errors.GetValueOrDefault(field);

    private void KindChanged(DatastoreKind kind)
    {
        _kind = kind;
        _auth = Datastore.DefaultAuth(kind);
        _test = null;
    }

    private void AuthChanged(DatastoreAuth auth)
    {
        _auth = auth;
        _test = null;
    }

    private DatastoreInput Input()
    {
        var credentials = new DatastoreCredentials(Trim(_accountKey), Trim(_sasToken), Trim(_accessKeyId), Trim(_secretAccessKey));
        var keep = Existing is not null && _auth == Existing.Auth && !credentials.HasSecret;
        var settings = new DatastoreSettings(Trim(_endpoint), _kind == DatastoreKind.Https ? null : Trim(_container), Trim(_prefix), Trim(_description), _auth,
            _kind == DatastoreKind.S3 ? Trim(_region) : null, _kind != DatastoreKind.S3 || _pathStyle);
        return new DatastoreInput(Existing?.Name ?? Trim(_name), _kind, settings, keep ? null : credentials);
    }

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async Task TestAsync()
    {
        await RunAsync(async (actor, token) =>
        {
            var result = Existing is not null && Input().Credentials is null
                ? await Service.TestAsync(actor, Workspace, Existing.Name, token).ConfigureAwait(true)
                : await Service.TestAsync(actor, Workspace, Input(), token).ConfigureAwait(true);
            if (result.IsSuccess)
            {
                _test = result.Value;
            }

            return result.IsSuccess ? Result.Success() : Result.Failure(result.Errors);
        });
    }

    private async Task SaveAsync()
    {
        DatastoreView? saved = null;
        await RunAsync(async (actor, token) =>
        {
            var result = Existing is null
                ? await Service.CreateAsync(actor, Workspace, Input(), token).ConfigureAwait(true)
                : await Service.UpdateAsync(actor, Workspace, Existing.Name, Input(), token).ConfigureAwait(true);
            saved = result.IsSuccess ? result.Value : null;
            return result.IsSuccess ? Result.Success() : Result.Failure(result.Errors);
        });
        if (saved is not null)
        {
            Dialog.Close(DialogResult.Ok(saved));
        }
    }

    private async Task RunAsync(Func<Studio.Domain.Workspaces.Actor, CancellationToken, Task<Result>> action)
    {
        _errors.Clear();
        _generalError = null;
        _test = null;
        _busy = true;
        try
        {
            var result = await action(await GetActorAsync(), CircuitToken);
            _generalError = FormErrors.Show(result.IsSuccess ? [] : result.Errors, _errors) ?? _generalError;
        }
        finally
        {
            _busy = false;
        }
    }
}
