using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Studio.Domain.Clusters;
using Studio.Domain.Common;
using Studio.Infrastructure.Azure;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Web.Components.Dialogs;

/// <summary>Registers a cluster from a kubeconfig context or imports one from Azure, checking the connection first.</summary>
public partial class AddClusterDialog
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private int _tab;
    private string? _kubeconfig;
    private IReadOnlyList<KubeconfigContext>? _contexts;
    private string? _context;
    private string? _name;
    private string? _displayName;
    private ConnectionReport? _report;
    private bool _busy;
    private AzureCredentialKind _azureKind = AzureCredentialKind.ServicePrincipal;
    private string? _tenantId;
    private string? _clientId;
    private string? _clientSecret;
    private string? _azureError;
    private IReadOnlyList<AzureSubscriptionInfo>? _subscriptions;
    private string? _subscriptionId;
    private IReadOnlyList<AzureClusterInfo>? _azureClusters;
    private string? _azureResourceId;

    [CascadingParameter]
    public required IMudDialogInstance Dialog { get; set; }

    [Inject]
    public required ClusterService Clusters { get; init; }

    [Inject]
    public required AzureClusterDiscovery Azure { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    private string? Err(string field) => _errors.GetValueOrDefault(field);

    private async Task UploadAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        if (file.Size > KubeconfigInspector.MaxLength)
        {
            _errors["kubeconfig"] = "The file is larger than 1 MiB; that is not a kubeconfig.";
            return;
        }

        using var reader = new StreamReader(file.OpenReadStream(KubeconfigInspector.MaxLength));
        _kubeconfig = await reader.ReadToEndAsync();
        await InspectAsync();
    }

    private Task InspectAsync()
    {
        _errors.Clear();
        _report = null;
        var result = Clusters.Inspect(_kubeconfig);
        if (!ShowErrors(result))
        {
            _contexts = null;
            _context = null;
            return Task.CompletedTask;
        }

        _contexts = result.Value;
        SelectContext(_contexts[0].Name);
        return Task.CompletedTask;
    }

    private void SelectContext(string name)
    {
        _context = name;
        _name = ClusterService.SuggestName(name);
        _report = null;
    }

    private async Task CheckAsync()
    {
        _busy = true;
        try
        {
            _errors.Clear();
            var result = await Clusters.CheckAsync(_kubeconfig, _context, CircuitToken);
            if (ShowErrors(result))
            {
                _report = result.Value;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RegisterAsync()
    {
        _busy = true;
        try
        {
            _errors.Clear();
            var result = await Clusters.RegisterAsync(await GetActorAsync(), new RegisterClusterRequest(_name, _displayName, _kubeconfig, _context), CircuitToken);
            if (ShowErrors(result))
            {
                Snackbar.Add($"Cluster '{result.Value.Name}' registered.", Severity.Success);
                Dialog.Close(DialogResult.Ok(result.Value.Name));
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private AzureSignIn SignIn => new(_azureKind, _tenantId, _clientId, _clientSecret);

    private async Task ListSubscriptionsAsync()
    {
        _busy = true;
        try
        {
            _errors.Clear();
            _azureError = null;
            var result = await Azure.ListSubscriptionsAsync(SignIn, CircuitToken);
            if (ShowErrors(result, azure: true))
            {
                _subscriptions = result.Value;
                if (_subscriptions.Count == 0)
                {
                    _azureError = "This identity sees no subscription. Give it the Reader role on the subscription that holds your clusters.";
                }
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ListAzureClustersAsync(string subscriptionId)
    {
        _subscriptionId = subscriptionId;
        _busy = true;
        try
        {
            _azureError = null;
            var result = await Azure.ListClustersAsync(SignIn, subscriptionId, CircuitToken);
            if (ShowErrors(result, azure: true))
            {
                _azureClusters = result.Value;
                if (_azureClusters.Count == 0)
                {
                    _azureError = "No AKS or Arc-enabled cluster in this subscription.";
                }
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ImportAsync()
    {
        _busy = true;
        try
        {
            _azureError = null;
            var kubeconfig = await Azure.GetKubeconfigAsync(SignIn, _azureResourceId!, CircuitToken);
            if (!ShowErrors(kubeconfig, azure: true))
            {
                return;
            }

            var kind = _azureResourceId!.Contains("/Microsoft.Kubernetes/", StringComparison.OrdinalIgnoreCase) ? ClusterKind.Arc : ClusterKind.Aks;
            var result = await Clusters.RegisterAsync(await GetActorAsync(), new RegisterClusterRequest(ClusterService.SuggestName(_azureResourceId), null, kubeconfig.Value, null, kind, _azureResourceId), CircuitToken);
            if (ShowErrors(result, azure: true))
            {
                Snackbar.Add($"Cluster '{result.Value.Name}' imported from Azure.", Severity.Success);
                Dialog.Close(DialogResult.Ok(result.Value.Name));
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private bool ShowErrors(Result result, bool azure = false)
    {
        foreach (var error in result.Errors)
        {
            if (azure && error.Field is null or "clusterResourceId" or "subscriptionId" or "kubeconfig")
            {
                _azureError = error.Message;
            }
            else
            {
                _errors[error.Field ?? "kubeconfig"] = error.Message;
            }
        }

        return result.IsSuccess;
    }
}
