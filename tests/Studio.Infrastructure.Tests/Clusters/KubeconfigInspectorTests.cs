using Microsoft.Extensions.Options;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Tests.Clusters;

public sealed class KubeconfigInspectorTests
{
    private static KubeconfigInspector Inspector(params string[] allowlist) =>
        new(Options.Create(new ClusterAccessOptions { ExecAllowlist = allowlist }));

    private static string Kubeconfig(string server = "https://10.0.0.1:6443", string clusterExtra = "", string user = "token: abc") => $"""
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters:
        - name: prod-cluster
          cluster:
            server: {server}
            {clusterExtra}
        users:
        - name: prod-user
          user:
            {user}
        contexts:
        - name: prod
          context:
            cluster: prod-cluster
            user: prod-user
            namespace: ml
        """;

    [Fact]
    public void Inspect_TokenUserWithInlineData_ListsContexts()
    {
        var result = Inspector().Inspect(Kubeconfig(clusterExtra: "certificate-authority-data: " + Convert.ToBase64String("x"u8.ToArray())));

        var context = Assert.Single(result.Value.Contexts);
        Assert.Equal(("prod", "https://10.0.0.1:6443", "ml", "token"), (context.Name, context.Server, context.Namespace, context.AuthKind));
    }

    [Theory]
    [InlineData("certificate-authority: /etc/kubernetes/ca.crt", "token: abc", "clusters[0].cluster.certificate-authority", "certificate-authority-data")]
    [InlineData("", "client-certificate: /home/me/.kube/cert.pem", "users[0].user.client-certificate", "client-certificate-data")]
    [InlineData("", "client-key: /home/me/.kube/key.pem", "users[0].user.client-key", "client-key-data")]
    [InlineData("", "tokenFile: /var/run/secrets/token", "users[0].user.tokenFile", "'token'")]
    public void Inspect_FileReference_IsRefusedNamingTheFieldAndTheInlineForm(string clusterExtra, string user, string field, string hint)
    {
        var result = Inspector().Inspect(Kubeconfig(clusterExtra: clusterExtra, user: user));

        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ExecPluginNotOnAllowlist_IsRefused()
    {
        var user = "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token]";

        var result = Inspector("kubelogin").Inspect(Kubeconfig(user: user));

        var error = Assert.Single(result.Errors);
        Assert.Equal("users[0].user.exec.command", error.Field);
        Assert.Contains("allowed: kubelogin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ExecPluginOnAllowlist_IsAccepted()
    {
        var user = "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubelogin\n      args: [get-token]";

        var result = Inspector("kubelogin").Inspect(Kubeconfig(user: user));

        Assert.Equal("exec:kubelogin", Assert.Single(result.Value.Contexts).AuthKind);
    }

    [Fact]
    public void Inspect_ExecPluginWithPath_IsRefusedEvenIfNameIsAllowed()
    {
        var user = "exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: /tmp/kubelogin";

        Assert.Equal("users[0].user.exec.command", Assert.Single(Inspector("kubelogin").Inspect(Kubeconfig(user: user)).Errors).Field);
    }

    [Fact]
    public void Inspect_AuthProviderUser_IsRefused()
    {
        var user = "auth-provider:\n      name: gcp\n      config: {}";

        Assert.Equal("users[0].user.auth-provider", Assert.Single(Inspector().Inspect(Kubeconfig(user: user)).Errors).Field);
    }

    [Theory]
    [InlineData("http://10.0.0.1:8080", false)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("https://10.0.0.1:6443", true)]
    public void Inspect_PlainHttp_OnlyOnLoopback(string server, bool accepted)
    {
        var result = Inspector().Inspect(Kubeconfig(server: server));

        Assert.Equal(accepted, result.IsSuccess);
        if (!accepted)
        {
            Assert.Equal("clusters[0].cluster.server", Assert.Single(result.Errors).Field);
        }
    }

    [Theory]
    [InlineData("", "Paste or upload a kubeconfig.")]
    [InlineData("clusters: [unclosed", "not valid YAML")]
    [InlineData("- just\n- a list", "This is not a kubeconfig")]
    public void Inspect_Garbage_SaysWhatIsWrong(string yaml, string message)
    {
        Assert.Contains(message, Assert.Single(Inspector().Inspect(yaml).Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtractContext_KeepsOnlyThatContextsClusterAndUser()
    {
        var yaml = Kubeconfig() + "\n" + """
            - name: other
              context:
                cluster: prod-cluster
                user: prod-user
            """;
        var document = Inspector().Inspect(yaml.Replace("current-context: prod", "current-context: prod", StringComparison.Ordinal)).Value;

        var single = document.ExtractContext("prod");

        Assert.Contains("current-context: prod", single, StringComparison.Ordinal);
        Assert.DoesNotContain("name: other", single, StringComparison.Ordinal);
    }
}
