using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Tests.Clusters;

public sealed class KubeconfigInspectorTests
{
    private static KubeconfigInspector Inspector(params string[] allowlist) =>
        new(Options.Create(new ClusterAccessOptions { ExecAllowlist = allowlist }));

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A fresh self-signed certificate and its key, as PEM.</summary>
    private static (string Certificate, string Key) SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

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
        var result = Inspector().Inspect(Kubeconfig(clusterExtra: "certificate-authority-data: " + Base64(SelfSigned().Certificate)));

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

    [Theory]
    [InlineData("certificate-authority-data: '!!!'", "clusters[0].cluster.certificate-authority-data", "not base64")]
    [InlineData("certificate-authority-data: eA==", "clusters[0].cluster.certificate-authority-data", "PEM or DER certificate")]
    public void Inspect_GarbageCertificateAuthority_IsRefusedNamingTheField(string clusterExtra, string field, string message)
    {
        var error = Assert.Single(Inspector().Inspect(Kubeconfig(clusterExtra: clusterExtra)).Errors);

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ClientCertificateGarbage_IsRefused()
    {
        var error = Assert.Single(Inspector().Inspect(Kubeconfig(user: "client-certificate-data: '!!!'\n    client-key-data: '!!!'")).Errors);

        Assert.Equal("users[0].user.client-certificate-data", error.Field);
    }

    [Fact]
    public void Inspect_ClientCertificateWithoutKey_IsRefused()
    {
        var error = Assert.Single(Inspector().Inspect(Kubeconfig(user: "client-certificate-data: " + Base64(SelfSigned().Certificate))).Errors);

        Assert.Equal("users[0].user.client-key-data", error.Field);
        Assert.Contains("without its key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ClientCertificateWithAnotherCertificatesKey_IsRefused()
    {
        var user = "client-certificate-data: " + Base64(SelfSigned().Certificate) + "\n    client-key-data: " + Base64(SelfSigned().Key);

        Assert.Equal("users[0].user.client-certificate-data", Assert.Single(Inspector().Inspect(Kubeconfig(user: user)).Errors).Field);
    }

    [Fact]
    public void Inspect_MatchingClientCertificateAndKey_IsAccepted()
    {
        var (certificate, key) = SelfSigned();
        var user = "client-certificate-data: " + Base64(certificate) + "\n    client-key-data: " + Base64(key);

        Assert.Equal("client certificate", Assert.Single(Inspector().Inspect(Kubeconfig(user: user)).Value.Contexts).AuthKind);
    }

    [Fact]
    public void Inspect_UserWithoutCredentials_IsRefused()
    {
        var error = Assert.Single(Inspector().Inspect(Kubeconfig(user: "{}")).Errors);

        Assert.Equal("users[0].user", error.Field);
        Assert.Contains("no credentials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_InsecureSkipTlsVerify_IsRefusedUnlessAllowed_ThenMarked()
    {
        var yaml = Kubeconfig(clusterExtra: "insecure-skip-tls-verify: true");

        var refused = Assert.Single(Inspector().Inspect(yaml).Errors);
        var allowed = new KubeconfigInspector(Options.Create(new ClusterAccessOptions { AllowInsecureTls = true })).Inspect(yaml);

        Assert.Equal("clusters[0].cluster.insecure-skip-tls-verify", refused.Field);
        Assert.True(Assert.Single(allowed.Value.Contexts).InsecureTls);
    }

    [Theory]
    [InlineData("https://user:secret@10.0.0.1:6443")]
    [InlineData("http://admin:pw@127.0.0.1:8080")]
    public void Inspect_ServerWithUserInfo_IsRefusedWithoutEchoingThePassword(string server)
    {
        var error = Assert.Single(Inspector().Inspect(Kubeconfig(server: server)).Errors);

        Assert.Equal("clusters[0].cluster.server", error.Field);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":pw@", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://169.254.169.254")]
    [InlineData("https://169.254.10.1:6443")]
    [InlineData("https://[fe80::1]:6443")]
    [InlineData("https://[fd00:ec2::254]")]
    [InlineData("https://100.100.100.200")]
    [InlineData("https://metadata.google.internal")]
    public void Inspect_LinkLocalOrMetadataServer_IsRefusedUnlessAllowed(string server)
    {
        var refused = Inspector().Inspect(Kubeconfig(server: server));
        var allowed = new KubeconfigInspector(Options.Create(new ClusterAccessOptions { AllowLinkLocal = true })).Inspect(Kubeconfig(server: server));

        Assert.Equal("clusters[0].cluster.server", Assert.Single(refused.Errors).Field);
        Assert.True(allowed.IsSuccess);
    }
}
