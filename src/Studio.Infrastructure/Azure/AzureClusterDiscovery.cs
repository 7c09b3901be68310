using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Azure;

/// <summary>
/// Finds AKS and Arc clusters through Azure Resource Manager's generic resource API and fetches AKS user kubeconfigs.
/// Every call signs in afresh with the given <see cref="AzureSignIn"/>; expected failures come back as one-sentence errors.
/// </summary>
public sealed class AzureClusterDiscovery
{
    internal const string AksApiVersion = "2024-09-01";
    internal const string ArcApiVersion = "2024-01-01";
    internal static readonly ResourceType AksType = new("Microsoft.ContainerService/managedClusters");
    internal static readonly ResourceType ArcType = new("Microsoft.Kubernetes/connectedClusters");
    private const int MaxParallelReads = 4;

    private readonly ArmEnvironment _environment;
    private readonly Func<AzureSignIn, TokenCredential> _credentials;
    private readonly Action<ArmClientOptions>? _configureClient;
    private readonly ILogger<AzureClusterDiscovery> _logger;

    public AzureClusterDiscovery(IOptions<AzureOptions> options, ILogger<AzureClusterDiscovery> logger)
        : this(options.Value, logger, signIn => AzureCredentials.Create(signIn, options.Value), configureClient: null)
    {
    }

    /// <summary>
    /// The seam for tests: <paramref name="credentials"/> builds the token credential for a sign-in (a fake returns a fixed token),
    /// and <paramref name="configureClient"/> has the last say over the client options (the transport and retries).
    /// </summary>
    internal AzureClusterDiscovery(
        AzureOptions options,
        ILogger<AzureClusterDiscovery> logger,
        Func<AzureSignIn, TokenCredential> credentials,
        Action<ArmClientOptions>? configureClient)
    {
        _environment = string.IsNullOrWhiteSpace(options.ResourceManagerEndpoint)
            ? ArmEnvironment.AzurePublicCloud
            : new ArmEnvironment(
                new Uri(options.ResourceManagerEndpoint, UriKind.Absolute),
                string.IsNullOrWhiteSpace(options.ResourceManagerAudience) ? options.ResourceManagerEndpoint : options.ResourceManagerAudience);
        _credentials = credentials;
        _configureClient = configureClient;
        _logger = logger;
    }

    public async Task<Result<IReadOnlyList<AzureSubscriptionInfo>>> ListSubscriptionsAsync(AzureSignIn signIn, CancellationToken ct)
    {
        var invalid = signIn.Validate();
        if (invalid.Count > 0)
        {
            return Result<IReadOnlyList<AzureSubscriptionInfo>>.Failure(invalid);
        }

        try
        {
            var client = CreateClient(signIn);
            var subscriptions = new List<AzureSubscriptionInfo>();
            await foreach (var subscription in client.GetSubscriptions().GetAllAsync(ct))
            {
                var data = subscription.Data;
                subscriptions.Add(new AzureSubscriptionInfo(
                    data.SubscriptionId,
                    string.IsNullOrEmpty(data.DisplayName) ? data.SubscriptionId : data.DisplayName,
                    data.State?.ToString() ?? "Unknown"));
            }

            return subscriptions.OrderBy(s => s.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
        }
        catch (Exception ex) when (TryMap(
            ex,
            signIn,
            "list subscriptions",
            "the tenant",
            "The identity cannot list subscriptions: grant it Reader on the subscriptions that hold your clusters.",
            $"Azure Resource Manager at {_environment.Endpoint} has no subscriptions API: check Studio:Azure:ResourceManagerEndpoint.",
            ct,
            out var error))
        {
            return error;
        }
    }

    public async Task<Result<IReadOnlyList<AzureClusterInfo>>> ListClustersAsync(AzureSignIn signIn, string subscriptionId, CancellationToken ct)
    {
        var invalid = signIn.Validate().ToList();
        if (!Guid.TryParse(subscriptionId, out _))
        {
            invalid.Add(Error.Validation("subscriptionId", "Pick a subscription: the subscription id must be a GUID."));
        }

        if (invalid.Count > 0)
        {
            return Result<IReadOnlyList<AzureClusterInfo>>.Failure(invalid);
        }

        try
        {
            var client = CreateClient(signIn);
            var subscription = client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscriptionId));
            var listed = new List<GenericResourceData>();
            foreach (var type in (ResourceType[])[AksType, ArcType])
            {
                await foreach (var resource in subscription.GetGenericResourcesAsync($"resourceType eq '{type}'", "provisioningState", top: null, ct))
                {
                    listed.Add(resource.Data);
                }
            }

            var clusters = new AzureClusterInfo[listed.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, listed.Count),
                new ParallelOptions { MaxDegreeOfParallelism = MaxParallelReads, CancellationToken = ct },
                async (i, token) => clusters[i] = await DescribeAsync(client, listed[i], token));
            return clusters
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(c => c.ResourceGroup, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
        catch (Exception ex) when (TryMap(
            ex,
            signIn,
            "list clusters",
            subscriptionId,
            $"The identity cannot read subscription {subscriptionId}: grant it Reader on the subscription or on the clusters' resource groups.",
            $"Subscription {subscriptionId} was not found or is not visible to this identity.",
            ct,
            out var error))
        {
            return error;
        }
    }

    public async Task<Result<string>> GetKubeconfigAsync(AzureSignIn signIn, string clusterResourceId, CancellationToken ct)
    {
        var invalid = signIn.Validate().ToList();
        var kind = ResourceIdentifier.TryParse(clusterResourceId, out var id) && id is not null ? KindOf(id.ResourceType) : null;
        if (kind is null)
        {
            invalid.Add(Error.Validation("clusterResourceId", "Pick an AKS or Arc cluster: the value is not the resource id of one."));
        }

        if (invalid.Count > 0)
        {
            return Result<string>.Failure(invalid);
        }

        if (kind == AzureClusterKind.Arc)
        {
            return Error.Validation(
                "clusterResourceId",
                $"Arc-enabled cluster {id!.Name} is reached through cluster connect: run 'az connectedk8s proxy -n {id.Name} -g {id.ResourceGroupName}' and import the kubeconfig it writes.");
        }

        try
        {
            var options = CreateOptions();
            var pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(_credentials(signIn), _environment.DefaultScope));
            using var message = pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Post;
            var uri = new RequestUriBuilder();
            uri.Reset(_environment.Endpoint);
            uri.AppendPath(id!.ToString(), escape: false);
            uri.AppendPath("/listClusterUserCredential", escape: false);
            uri.AppendQuery("api-version", AksApiVersion, escapeValue: true);
            message.Request.Uri = uri;
            message.Request.Headers.Add("Accept", "application/json");
            await pipeline.SendAsync(message, ct);
            if (message.Response.IsError)
            {
                throw new RequestFailedException(message.Response);
            }

            return ReadKubeconfig(message.Response.Content, id.Name);
        }
        catch (Exception ex) when (TryMap(
            ex,
            signIn,
            "list cluster user credential",
            id!.ToString(),
            $"The identity lacks 'Azure Kubernetes Service Cluster User Role' on {id.Name}: ask an owner of the cluster to grant it.",
            $"Cluster {id.Name} was not found in resource group {id.ResourceGroupName}: it may have been deleted or moved.",
            ct,
            out var error))
        {
            return error;
        }
    }

    internal static AzureClusterKind? KindOf(ResourceType type) =>
        IsType(type, AksType) ? AzureClusterKind.Aks : IsType(type, ArcType) ? AzureClusterKind.Arc : null;

    private static bool IsType(ResourceType type, ResourceType expected) =>
        string.Equals(type.Namespace, expected.Namespace, StringComparison.OrdinalIgnoreCase)
        && string.Equals(type.Type, expected.Type, StringComparison.OrdinalIgnoreCase);

    private static Result<string> ReadKubeconfig(BinaryData content, string clusterName)
    {
        var missing = new Error(
            ErrorKind.Conflict,
            AzureErrors.UnexpectedResponseCode,
            $"Azure returned no user kubeconfig for {clusterName}: try again, or run 'az aks get-credentials' and import the file.");
        try
        {
            using var json = JsonDocument.Parse(content);
            if (!json.RootElement.TryGetProperty("kubeconfigs", out var kubeconfigs) || kubeconfigs.ValueKind != JsonValueKind.Array)
            {
                return missing;
            }

            foreach (var kubeconfig in kubeconfigs.EnumerateArray())
            {
                if (kubeconfig.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } encoded)
                {
                    return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                }
            }

            return missing;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return missing;
        }
    }

    private static string? ReadString(JsonElement properties, string name) =>
        properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
        && !string.IsNullOrEmpty(value.GetString())
            ? value.GetString()
            : null;

    private async Task<AzureClusterInfo> DescribeAsync(ArmClient client, GenericResourceData listed, CancellationToken ct)
    {
        var kind = KindOf(listed.ResourceType)!.Value;
        var properties = default(JsonElement);
        try
        {
            var response = await client.GetGenericResource(listed.Id).GetAsync(ct);
            if (response.Value.Data.Properties is { } data)
            {
                using var json = JsonDocument.Parse(data);
                properties = json.RootElement.Clone();
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 403 or 404)
        {
            // Listed but not readable (a deny assignment, or deleted since the list): show it with what the list said.
            _logger.LogWarning("Reading Azure cluster {ClusterId} failed with {Status} ({Code}); showing it without version.", listed.Id, ex.Status, ex.ErrorCode);
        }

        var version = kind == AzureClusterKind.Aks
            ? ReadString(properties, "currentKubernetesVersion") ?? ReadString(properties, "kubernetesVersion")
            : ReadString(properties, "kubernetesVersion");
        var fqdn = kind == AzureClusterKind.Aks ? ReadString(properties, "fqdn") ?? ReadString(properties, "privateFQDN") : null;
        return new AzureClusterInfo(
            listed.Id.ToString(),
            listed.Name,
            listed.Id.ResourceGroupName ?? string.Empty,
            listed.Location.ToString(),
            kind,
            version,
            ReadString(properties, "provisioningState") ?? listed.ProvisioningState,
            fqdn);
    }

    private ArmClientOptions CreateOptions()
    {
        var options = new ArmClientOptions { Environment = _environment };
        options.SetApiVersion(AksType, AksApiVersion);
        options.SetApiVersion(ArcType, ArcApiVersion);
        _configureClient?.Invoke(options);
        return options;
    }

    private ArmClient CreateClient(AzureSignIn signIn) => new(_credentials(signIn), defaultSubscriptionId: null, CreateOptions());

    private bool TryMap(
        Exception exception,
        AzureSignIn signIn,
        string operation,
        string target,
        string forbidden,
        string notFound,
        CancellationToken ct,
        out Error error)
    {
        // Azure.Core reports its network timeout as a cancellation; only the caller's own cancellation should propagate.
        var mapped = exception is OperationCanceledException && !ct.IsCancellationRequested
            ? AzureErrors.TimedOut(_environment.Endpoint)
            : AzureErrors.Map(exception, signIn, _environment.Endpoint, forbidden, notFound);
        if (mapped is null)
        {
            error = null!;
            return false;
        }

        _logger.LogWarning(
            "Azure {Operation} on {Target} failed with {ExceptionType} (status {Status}, code {Code}); reported as {ErrorCode}.",
            operation,
            target,
            exception.GetType().Name,
            (exception as RequestFailedException)?.Status,
            (exception as RequestFailedException)?.ErrorCode,
            mapped.Code);
        error = mapped;
        return true;
    }
}
