using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Studio.Domain.Common;
using Studio.Infrastructure.Azure;

namespace Studio.Infrastructure.Tests.Azure;

public sealed class AzureClusterDiscoveryTests
{
    private const string Secret = "s3cr3t-V4lue~do-not-leak";
    private static readonly AzureSignIn ServicePrincipal = AzureSignIn.ServicePrincipal("31c75423-32d6-4322-88b7-c478bdde4858", "7e0e0b0a-1111-2222-3333-444455556666", Secret);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListSubscriptions_ReturnsEachSubscriptionWithNameAndState_UsingTheBearerToken()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        var credential = new FakeTokenCredential(FakeArmServer.Token);

        var result = await Discovery(server, credential).ListSubscriptionsAsync(ServicePrincipal, Ct);

        Assert.True(result.IsSuccess, Describe(result));
        Assert.Equal(
            [
                new AzureSubscriptionInfo(FakeArmServer.OtherSubscriptionId, "Another Subscription", "Warned"),
                new AzureSubscriptionInfo(FakeArmServer.SubscriptionId, "Example Subscription", "Enabled"),
            ],
            result.Value);
        var scope = Assert.Single(credential.Scopes);
        Assert.StartsWith(server.Endpoint.ToString(), scope, StringComparison.Ordinal);
        Assert.EndsWith("/.default", scope, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListClusters_ReturnsAksAndArcWithVersionsStatesAndFqdn_FollowingNextLink()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);

        var result = await Discovery(server).ListClustersAsync(ServicePrincipal, FakeArmServer.SubscriptionId, Ct);

        Assert.True(result.IsSuccess, Describe(result));
        Assert.Equal(
            [
                new AzureClusterInfo(FakeArmServer.AksId, "clustername1", "rg1", "eastus", AzureClusterKind.Aks, "1.30.4", "Succeeded", "dnsprefix1-abcd1234.hcp.eastus.azmk8s.io"),
                new AzureClusterInfo(FakeArmServer.ArcId, "connectedCluster1", "k8sc-rg", "eastus", AzureClusterKind.Arc, "1.17.0", "Succeeded", null),
                new AzureClusterInfo(FakeArmServer.PrivateAksId, "gpu-private", "ml-rg", "westeurope", AzureClusterKind.Aks, "1.29.7", "Updating", "gpu-private-1a2b3c.privatelink.westeurope.azmk8s.io"),
            ],
            result.Value);
        Assert.Contains(server.Requests, r => r.StartsWith("GET /subscriptions/" + FakeArmServer.SubscriptionId + "/resources?", StringComparison.Ordinal) && r.Contains("skiptoken=page2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListClusters_ReadsEachClusterWithItsResourceTypesApiVersion()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);

        var result = await Discovery(server).ListClustersAsync(ServicePrincipal, FakeArmServer.SubscriptionId, Ct);

        Assert.True(result.IsSuccess, Describe(result));
        Assert.Contains($"GET {FakeArmServer.AksId}?api-version={AzureClusterDiscovery.AksApiVersion}", server.Requests);
        Assert.Contains($"GET {FakeArmServer.ArcId}?api-version={AzureClusterDiscovery.ArcApiVersion}", server.Requests);
        Assert.DoesNotContain(server.Requests, r => r.Contains("/providers/Microsoft.ContainerService?", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ListClusters_WhenOneClusterCannotBeRead_StillListsItWithTheListedState()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        server.Fail(FakeArmServer.ArcId, HttpStatusCode.Forbidden);

        var result = await Discovery(server).ListClustersAsync(ServicePrincipal, FakeArmServer.SubscriptionId, Ct);

        Assert.True(result.IsSuccess, Describe(result));
        var arc = Assert.Single(result.Value, c => c.Kind == AzureClusterKind.Arc);
        Assert.Equal(("connectedCluster1", null, "Succeeded"), (arc.Name, arc.KubernetesVersion, arc.ProvisioningState));
    }

    [Fact]
    public async Task GetKubeconfig_ForAks_PostsListClusterUserCredentialAndReturnsTheDecodedYaml()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);

        var result = await Discovery(server).GetKubeconfigAsync(ServicePrincipal, FakeArmServer.AksId, Ct);

        Assert.True(result.IsSuccess, Describe(result));
        Assert.Equal(FakeArmServer.KubeconfigYaml, result.Value);
        Assert.Contains($"POST {FakeArmServer.AksId}/listClusterUserCredential?api-version={AzureClusterDiscovery.AksApiVersion}", server.Requests);
    }

    [Fact]
    public async Task GetKubeconfig_ForArc_ReturnsClusterConnectGuidanceWithoutCallingAzure()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);

        var result = await Discovery(server).GetKubeconfigAsync(ServicePrincipal, FakeArmServer.ArcId, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("clusterResourceId", ErrorKind.Validation), (error.Field, error.Kind));
        Assert.Contains("az connectedk8s proxy -n connectedCluster1 -g k8sc-rg", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/subscriptions/291bba3f-e0a5-47bc-a099-3bdcb2a50a05/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1")]
    public async Task GetKubeconfig_ForSomethingOtherThanACluster_ReturnsFieldError(string resourceId)
    {
        await using var server = await FakeArmServer.StartAsync(Ct);

        var result = await Discovery(server).GetKubeconfigAsync(ServicePrincipal, resourceId, Ct);

        Assert.Equal("clusterResourceId", Assert.Single(result.Errors).Field);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ListSubscriptions_WhenArmRejectsTheToken_SaysToCheckTenantClientIdAndSecret()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);

        var result = await Discovery(server, new FakeTokenCredential("expired-token")).ListSubscriptionsAsync(ServicePrincipal, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorKind.Forbidden, "azure_unauthorized"), (error.Kind, error.Code));
        Assert.Equal("Azure rejected the credentials: check tenant, client id and secret.", error.Message);
    }

    [Fact]
    public async Task GetKubeconfig_WhenIdentityLacksClusterUserRole_NamesTheRoleAndCluster()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        server.Fail($"{FakeArmServer.AksId}/listClusterUserCredential", HttpStatusCode.Forbidden);

        var result = await Discovery(server).GetKubeconfigAsync(ServicePrincipal, FakeArmServer.AksId, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorKind.Forbidden, "azure_forbidden"), (error.Kind, error.Code));
        Assert.StartsWith("The identity lacks 'Azure Kubernetes Service Cluster User Role' on clustername1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListClusters_WhenIdentityCannotReadSubscription_SaysWhichSubscriptionNeedsReader()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        server.Fail($"/subscriptions/{FakeArmServer.SubscriptionId}/resources", HttpStatusCode.Forbidden);

        var result = await Discovery(server).ListClustersAsync(ServicePrincipal, FakeArmServer.SubscriptionId, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.StartsWith($"The identity cannot read subscription {FakeArmServer.SubscriptionId}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListClusters_ForASubscriptionArmDoesNotKnow_ReturnsNotFound()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        var unknown = Guid.NewGuid().ToString();

        var result = await Discovery(server).ListClustersAsync(ServicePrincipal, unknown, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains(unknown, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetKubeconfig_ForADeletedCluster_ReturnsNotFound()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        var deleted = FakeArmServer.AksId.Replace("clustername1", "gone", StringComparison.Ordinal);

        var result = await Discovery(server).GetKubeconfigAsync(ServicePrincipal, deleted, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.StartsWith("Cluster gone was not found in resource group rg1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSubscriptions_WhenEntraRefusesTheSignIn_ReturnsSignInSentenceWithoutTheSecret()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        var credential = FakeTokenCredential.Failing($"AADSTS7000215: Invalid client secret provided: '{Secret}'.");

        var result = await Discovery(server, credential).ListSubscriptionsAsync(ServicePrincipal, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal("azure_sign_in_failed", error.Code);
        Assert.Contains("check tenant, client id and secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ListSubscriptions_WhenArmIsUnreachable_NamesTheEndpointToCheck()
    {
        var closed = ClosedLoopbackEndpoint();
        var discovery = new AzureClusterDiscovery(
            new AzureOptions { ResourceManagerEndpoint = closed.ToString() },
            NullLogger<AzureClusterDiscovery>.Instance,
            _ => new FakeTokenCredential(FakeArmServer.Token),
            o => o.Retry.MaxRetries = 0);

        var result = await discovery.ListSubscriptionsAsync(ServicePrincipal, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal("azure_unreachable", error.Code);
        Assert.StartsWith($"Azure Resource Manager at {closed} could not be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSubscriptions_WhenArmDoesNotAnswerInTime_ReturnsTimeoutSentenceInsteadOfCancellation()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        server.Stall("/subscriptions");
        var discovery = new AzureClusterDiscovery(
            new AzureOptions { ResourceManagerEndpoint = server.Endpoint.ToString() },
            NullLogger<AzureClusterDiscovery>.Instance,
            _ => new FakeTokenCredential(FakeArmServer.Token),
            o =>
            {
                o.Transport = server.Transport;
                o.Retry.MaxRetries = 0;
                o.Retry.NetworkTimeout = TimeSpan.FromMilliseconds(300);
            });

        var result = await discovery.ListSubscriptionsAsync(ServicePrincipal, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal("azure_unreachable", error.Code);
        Assert.Contains("did not answer in time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSubscriptions_WhenCallerCancels_Throws()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Discovery(server).ListSubscriptionsAsync(ServicePrincipal, cancelled.Token));
    }

    [Fact]
    public async Task ListSubscriptions_ForServicePrincipalWithoutSecret_ReturnsClientSecretFieldErrorWithoutSigningIn()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);
        var credential = new FakeTokenCredential(FakeArmServer.Token);
        var noSecret = new AzureSignIn(AzureCredentialKind.ServicePrincipal, "31c75423-32d6-4322-88b7-c478bdde4858", "7e0e0b0a-1111-2222-3333-444455556666", " ");

        var result = await Discovery(server, credential).ListSubscriptionsAsync(noSecret, Ct);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("clientSecret", ErrorKind.Validation), (error.Field, error.Kind));
        Assert.Equal(0, credential.Calls);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ListClusters_WithMalformedSubscriptionId_ReturnsSubscriptionIdFieldError()
    {
        await using var server = await FakeArmServer.StartAsync(Ct);

        var result = await Discovery(server).ListClustersAsync(ServicePrincipal, "../providers", Ct);

        Assert.Equal("subscriptionId", Assert.Single(result.Errors).Field);
        Assert.Empty(server.Requests);
    }

    private static AzureClusterDiscovery Discovery(FakeArmServer server, TokenCredential? credential = null)
    {
        credential ??= new FakeTokenCredential(FakeArmServer.Token);
        return new AzureClusterDiscovery(
            new AzureOptions { ResourceManagerEndpoint = server.Endpoint.ToString() },
            NullLogger<AzureClusterDiscovery>.Instance,
            _ => credential,
            options =>
            {
                options.Transport = server.Transport;
                options.Retry.MaxRetries = 0;
            });
    }

    private static Uri ClosedLoopbackEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"https://127.0.0.1:{port}/");
    }

    private static string Describe(Result result) => string.Join(" | ", result.Errors.Select(e => $"{e.Code}: {e.Message}"));
}
