using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Studio.Infrastructure.Tests.Azure;

/// <summary>
/// A local HTTPS endpoint that answers like Azure Resource Manager, in the shapes of the azure-rest-api-specs examples
/// (GetSubscriptions.json, Resources_List, ManagedClustersGet.json, GetClusterExample.json, ManagedClustersListClusterUserCredentials.json).
/// HTTPS because Azure.Core refuses to send a bearer token over plain HTTP.
/// </summary>
internal sealed class FakeArmServer : IAsyncDisposable
{
    public const string Token = "fake-arm-token";
    public const string SubscriptionId = "291bba3f-e0a5-47bc-a099-3bdcb2a50a05";
    public const string OtherSubscriptionId = "72ac930a-f34e-42d8-b06d-dc2a9e12ed71";
    public const string AksId = "/subscriptions/" + SubscriptionId + "/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1";
    public const string PrivateAksId = "/subscriptions/" + SubscriptionId + "/resourceGroups/ml-rg/providers/Microsoft.ContainerService/managedClusters/gpu-private";
    public const string ArcId = "/subscriptions/" + SubscriptionId + "/resourceGroups/k8sc-rg/providers/Microsoft.Kubernetes/connectedClusters/connectedCluster1";
    public const string AksType = "Microsoft.ContainerService/managedClusters";
    public const string ArcType = "Microsoft.Kubernetes/connectedClusters";

    public const string KubeconfigYaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: clustername1
          cluster:
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJlakNDQVNHZ0F3SUJBZ0lVUTYxSG9qUDlOMm1HUDYxSzRtei9BdzZVN1RFd0NnWUlLb1pJemowRUF3SXcKRWpFUU1BNEdBMVVFQXd3SGRHVnpkQzFqWVRBZ0Z3MHlOakV5TURjd016RXpNelJhR0E4eU1USTJNVEV4TXpBegpNVE16TkZvd0VqRVFNQTRHQTFVRUF3d0hkR1Z6ZEMxallUQlpNQk1HQnlxR1NNNDlBZ0VHQ0NxR1NNNDlBd0VICkEwSUFCT0V0Y2V1eWVzMlJENXBXTytDOWRCL1lnUEFndU5LU28ybk8xZlAzTkNGT29UU0NKYmE2VGluL000SDcKN1RBMG1wTFgzTkhtNUZFN09LQXNyZk1DK2JHalV6QlJNQjBHQTFVZERnUVdCQlNzOVMzOXRNV0xubm9BdldtUQpENXVPRWViNFZ6QWZCZ05WSFNNRUdEQVdnQlNzOVMzOXRNV0xubm9BdldtUUQ1dU9FZWI0VnpBUEJnTlZIUk1CCkFmOEVCVEFEQVFIL01Bb0dDQ3FHU000OUJBTUNBMGNBTUVRQ0lCVzZCQ3cwQ0VPUVZiMjJUUTBNS0pzTkhHbVMKU1h2aGVYeFNuQlM2QUlYSEFpQWNFTXhuRGdQN1R5ZTB3MTVQUEZocEhLRkxsUWI1SUZubWxnUUg5VGJadHc9PQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==
            server: https://dnsprefix1-abcd1234.hcp.eastus.azmk8s.io:443
        contexts:
        - name: clustername1
          context:
            cluster: clustername1
            user: clusterUser_rg1_clustername1
        current-context: clustername1
        users:
        - name: clusterUser_rg1_clustername1
          user:
            token: user-token-1
        """;

    private static readonly Lazy<X509Certificate2> Certificate = new(CreateCertificate);

    private readonly WebApplication _app;
    private readonly HttpClientHandler _handler;
    private readonly HttpClientTransport _transport;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentDictionary<string, HttpStatusCode> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _stalls = new(StringComparer.OrdinalIgnoreCase);

    private FakeArmServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
        var expected = Certificate.Value.GetCertHashString();
        _handler = new HttpClientHandler
        {
            // Trust exactly this server's self-signed certificate, nothing else.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected,
        };
        _transport = new HttpClientTransport(_handler);
    }

    /// <summary>e.g. https://127.0.0.1:41234/</summary>
    public Uri Endpoint { get; }

    /// <summary>A transport that trusts this server's certificate.</summary>
    public HttpPipelineTransport Transport => _transport;

    /// <summary>"METHOD path?query" of every request, in arrival order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<FakeArmServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificate.Value)));
        var app = builder.Build();
        FakeArmServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeArmServer(app, new Uri($"https://127.0.0.1:{new Uri(address).Port}/"));
        return server;
    }

    /// <summary>Makes every request whose path is <paramref name="path"/> (any method) answer <paramref name="status"/> in ARM's error shape.</summary>
    public void Fail(string path, HttpStatusCode status) => _failures[path] = status;

    /// <summary>Makes every request whose path is <paramref name="path"/> hang until the client gives up.</summary>
    public void Stall(string path) => _stalls[path] = true;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _transport.Dispose();
        _handler.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    private static Task ArmErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        context.Response.Headers["x-ms-failure-cause"] = "gateway";
        return WriteJsonAsync(context, $$$"""{"error":{"code":"{{{code}}}","message":"{{{message}}}"}}""");
    }

    private static Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json, Encoding.UTF8);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        _requests.Enqueue($"{request.Method} {path}{request.QueryString}");

        if (request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            context.Response.Headers.WWWAuthenticate = "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\"";
            await ArmErrorAsync(context, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", "The access token is invalid.");
            return;
        }

        if (_failures.TryGetValue(path, out var failure))
        {
            var code = failure == HttpStatusCode.Forbidden ? "AuthorizationFailed" : failure.ToString();
            await ArmErrorAsync(context, failure, code, $"The client does not have authorization to perform action over scope '{path}'.");
            return;
        }

        if (_stalls.ContainsKey(path))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as intended.
            }

            return;
        }

        if (HttpMethods.IsPost(request.Method) && request.ContentLength is null)
        {
            await ArmErrorAsync(context, HttpStatusCode.LengthRequired, "LengthRequired", "A POST needs a Content-Length header.");
            return;
        }

        if (string.IsNullOrEmpty(request.Query["api-version"]))
        {
            await ArmErrorAsync(context, HttpStatusCode.BadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
            return;
        }

        var body = Route(request, path);
        if (body is null)
        {
            await ArmErrorAsync(context, HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource '{path}' was not found.");
            return;
        }

        await WriteJsonAsync(context, body);
    }

    private string? Route(HttpRequest request, string path)
    {
        string apiVersion = request.Query["api-version"]!;
        if (HttpMethods.IsGet(request.Method) && path.Equals("/subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            return SubscriptionsBody;
        }

        if (HttpMethods.IsGet(request.Method) && path.Equals($"/subscriptions/{SubscriptionId}/resources", StringComparison.OrdinalIgnoreCase))
        {
            return ResourceListBody(request);
        }

        if (HttpMethods.IsGet(request.Method))
        {
            return path.ToLowerInvariant() switch
            {
                var p when p == AksId.ToLowerInvariant() && apiVersion == "2024-09-01" => AksBody,
                var p when p == PrivateAksId.ToLowerInvariant() && apiVersion == "2024-09-01" => PrivateAksBody,
                var p when p == ArcId.ToLowerInvariant() && apiVersion == "2024-01-01" => ArcBody,
                _ => null,
            };
        }

        if (HttpMethods.IsPost(request.Method) && path.Equals($"{AksId}/listClusterUserCredential", StringComparison.OrdinalIgnoreCase))
        {
            return $$$"""{"kubeconfigs":[{"name":"clusterUser","value":"{{{Convert.ToBase64String(Encoding.UTF8.GetBytes(KubeconfigYaml))}}}"}]}""";
        }

        return null;
    }

    /// <summary>Resources_List shape; the AKS list is split over two pages joined by nextLink.</summary>
    private string ResourceListBody(HttpRequest request)
    {
        var filter = request.Query["$filter"].ToString();
        var expanded = request.Query["$expand"].ToString().Contains("provisioningState", StringComparison.OrdinalIgnoreCase);
        var state = expanded ? "\"provisioningState\": \"Succeeded\"," : string.Empty;
        if (filter == $"resourceType eq '{AksType}'")
        {
            if (request.Query["$skiptoken"] == "page2")
            {
                return $$$"""
                    {"value":[{"id":"{{{PrivateAksId}}}","name":"gpu-private","type":"Microsoft.ContainerService/managedClusters",{{{state}}}"location":"westeurope","tags":{}}]}
                    """;
            }

            var next = $"{Endpoint}subscriptions/{SubscriptionId}/resources?$filter={Uri.EscapeDataString(filter)}&$expand=provisioningState&api-version={request.Query["api-version"]}&$skiptoken=page2";
            return $$$"""
                {"value":[{"id":"{{{AksId}}}","name":"clustername1","type":"Microsoft.ContainerService/ManagedClusters",{{{state}}}"location":"eastus","tags":{"tier":"production"}}],
                 "nextLink":"{{{next}}}"}
                """;
        }

        if (filter == $"resourceType eq '{ArcType}'")
        {
            return $$$"""
                {"value":[{"id":"{{{ArcId}}}","name":"connectedCluster1","type":"Microsoft.Kubernetes/connectedClusters",{{{state}}}"location":"eastus","tags":{},
                  "identity":{"principalId":"d8cd1fd9-154f-4da7-b348-595f283c13a3","tenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47","type":"SystemAssigned"}}]}
                """;
        }

        return """{"value":[]}""";
    }

    private const string SubscriptionsBody = $$$"""
        {"value":[
          {"id":"/subscriptions/{{{SubscriptionId}}}","subscriptionId":"{{{SubscriptionId}}}","tenantId":"31c75423-32d6-4322-88b7-c478bdde4858",
           "displayName":"Example Subscription","state":"Enabled",
           "subscriptionPolicies":{"locationPlacementId":"Internal_2014-09-01","quotaId":"Internal_2014-09-01","spendingLimit":"Off"},
           "authorizationSource":"RoleBased","managedByTenants":[{"tenantId":"8f70baf1-1f6e-46a2-a1ff-238dac1ebfb7"}],"tags":{"tagKey1":"tagValue1"}},
          {"id":"/subscriptions/{{{OtherSubscriptionId}}}","subscriptionId":"{{{OtherSubscriptionId}}}","tenantId":"2a0ff0de-96b2-4859-bb7c-a430d07a3e0c",
           "displayName":"Another Subscription","state":"Warned",
           "subscriptionPolicies":{"locationPlacementId":"Internal_2014-09-01","quotaId":"Internal_2014-09-01","spendingLimit":"Off"},
           "authorizationSource":"RoleBased","managedByTenants":[],"tags":{}}
        ],"count":{"type":"Total","value":2}}
        """;

    private const string AksBody = $$$"""
        {"id":"{{{AksId}}}","location":"eastus","name":"clustername1","tags":{"archv2":"","tier":"production"},
         "type":"Microsoft.ContainerService/ManagedClusters","eTag":"beywbwei",
         "properties":{"provisioningState":"Succeeded","maxAgentPools":1,"kubernetesVersion":"1.30","currentKubernetesVersion":"1.30.4",
           "dnsPrefix":"dnsprefix1","fqdn":"dnsprefix1-abcd1234.hcp.eastus.azmk8s.io","azurePortalFQDN":"dnsprefix1-abcd1234.portal.hcp.eastus.azmk8s.io",
           "agentPoolProfiles":[{"name":"nodepool1","count":3,"vmSize":"Standard_DS1_v2","maxPods":110,"osType":"Linux","provisioningState":"Succeeded",
             "orchestratorVersion":"1.30","currentOrchestratorVersion":"1.30.4","availabilityZones":["1","2","3"]}],
           "nodeResourceGroup":"MC_rg1_clustername1_eastus","enableRBAC":true,
           "networkProfile":{"networkPlugin":"kubenet","podCidr":"10.244.0.0/16","serviceCidr":"10.0.0.0/16","dnsServiceIP":"10.0.0.10","outboundType":"loadBalancer"}} }
        """;

    private const string PrivateAksBody = $$$"""
        {"id":"{{{PrivateAksId}}}","location":"westeurope","name":"gpu-private","tags":{},"type":"Microsoft.ContainerService/ManagedClusters",
         "properties":{"provisioningState":"Updating","kubernetesVersion":"1.29.7","currentKubernetesVersion":"1.29.7","dnsPrefix":"gpu",
           "privateFQDN":"gpu-private-1a2b3c.privatelink.westeurope.azmk8s.io",
           "apiServerAccessProfile":{"enablePrivateCluster":true},"nodeResourceGroup":"MC_ml-rg_gpu-private_westeurope","enableRBAC":true}}
        """;

    private const string ArcBody = $$$"""
        {"id":"{{{ArcId}}}","name":"connectedCluster1","type":"Microsoft.Kubernetes/connectedClusters","location":"East US","tags":{},
         "systemData":{"createdBy":"someone@contoso.com","createdByType":"User","createdAt":"2020-12-17T07:06:33.9173186Z",
           "lastModifiedBy":"2d2a754c-cade-4935-83d4-ce413c5a3910","lastModifiedByType":"Application","lastModifiedAt":"2020-12-17T07:14:58.865041Z"},
         "identity":{"principalId":"d8cd1fd9-154f-4da7-b348-595f283c13a3","tenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47","type":"SystemAssigned"},
         "properties":{"agentPublicKeyCertificate":"MIICYzCCAcygAwIBAgIBADANBgkqhkiG9w0BAQUFADAuMQswCQYDVQQGEwJVUzEMMAoGA1UEChMDSUJN",
           "kubernetesVersion":"1.17.0","totalNodeCount":2,"agentVersion":"0.1.0","privateLinkState":"Disabled","provisioningState":"Succeeded",
           "azureHybridBenefit":"NotApplicable","distribution":"AKS","distributionVersion":"1.0","connectivityStatus":"Connected"}}
        """;
}
