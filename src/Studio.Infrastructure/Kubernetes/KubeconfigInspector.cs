using System.Net;
using System.Text;
using k8s;
using k8s.KubeConfigModels;
using Microsoft.Extensions.Options;
using Studio.Domain.AzureMl;
using Studio.Domain.Common;
using YamlDotNet.RepresentationModel;

namespace Studio.Infrastructure.Kubernetes;

/// <summary>
/// Treats a kubeconfig as untrusted input: refuses, naming the field, anything that reads files on the studio's machine
/// (certificate-authority, client-certificate, client-key, tokenFile), runs a program (exec users not on the allowlist,
/// auth-provider users), or talks plain http to a non-loopback server (unless allowed).
/// </summary>
public sealed class KubeconfigInspector(IOptions<ClusterAccessOptions> options)
{
    public const int MaxLength = 1024 * 1024;

    private static readonly Dictionary<string, string> FileFields = new(StringComparer.Ordinal)
    {
        ["certificate-authority"] = "certificate-authority-data",
        ["client-certificate"] = "client-certificate-data",
        ["client-key"] = "client-key-data",
        ["tokenFile"] = "token",
    };

    public Result<KubeconfigDocument> Inspect(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return Error.Validation("kubeconfig", "Paste or upload a kubeconfig.");
        }

        if (yaml.Length > MaxLength)
        {
            return Error.Validation("kubeconfig", "The kubeconfig is larger than 1 MiB; that is not a kubeconfig.");
        }

        YamlMappingNode root;
        try
        {
            var stream = YamlReader.Load(yaml);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return Error.Validation("kubeconfig", "This is not a kubeconfig: expected a YAML mapping with clusters, users and contexts.");
            }

            root = mapping;
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            return Error.Validation("kubeconfig", $"The kubeconfig is not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}): {ex.Message}");
        }

        var errors = new List<Error>();
        CheckFiles(root, "clusters", "cluster", errors);
        CheckFiles(root, "users", "user", errors);
        CheckUsers(root, errors);
        if (errors.Count > 0)
        {
            return Result<KubeconfigDocument>.Failure(errors);
        }

        K8SConfiguration config;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(yaml));
            config = KubernetesClientConfiguration.LoadKubeConfig(stream);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or k8s.Exceptions.KubeConfigException or FormatException)
        {
            return Error.Validation("kubeconfig", $"The kubeconfig could not be read: {ex.Message}");
        }

        var contexts = new List<KubeconfigContext>();
        var contextList = config.Contexts?.ToList() ?? [];
        for (var i = 0; i < contextList.Count; i++)
        {
            var context = contextList[i];
            var path = $"contexts[{i}]";
            var cluster = config.Clusters?.FirstOrDefault(c => c.Name == context.ContextDetails?.Cluster);
            var user = config.Users?.FirstOrDefault(u => u.Name == context.ContextDetails?.User);
            if (cluster?.ClusterEndpoint?.Server is not { Length: > 0 } server)
            {
                errors.Add(Error.Validation($"{path}.context.cluster", $"Context '{context.Name}' names cluster '{context.ContextDetails?.Cluster}', which is not in the kubeconfig or has no server."));
                continue;
            }

            if (user is null)
            {
                errors.Add(Error.Validation($"{path}.context.user", $"Context '{context.Name}' names user '{context.ContextDetails?.User}', which is not in the kubeconfig."));
                continue;
            }

            var clusterIndex = config.Clusters!.ToList().IndexOf(cluster);
            var userIndex = config.Users!.ToList().IndexOf(user);
            var before = errors.Count;
            if (CheckServer(server, $"clusters[{clusterIndex}].cluster.server") is { } serverError)
            {
                errors.Add(serverError);
            }

            var insecureTls = cluster.ClusterEndpoint.SkipTlsVerify;
            if (insecureTls && !options.Value.AllowInsecureTls)
            {
                errors.Add(Error.Validation(
                    $"clusters[{clusterIndex}].cluster.insecure-skip-tls-verify",
                    $"Cluster '{cluster.Name}' turns TLS verification off: the studio would send its credentials to whoever answers at {Redact(server)}. Add the cluster's CA as 'certificate-authority-data' (or an administrator can set Studio:Clusters:AllowInsecureTls)."));
            }

            KubeconfigCredentialCheck.Check(cluster, clusterIndex, user, userIndex, errors);
            if (errors.Count > before)
            {
                continue;
            }

            contexts.Add(new KubeconfigContext(context.Name, cluster.Name, user.Name, server, context.ContextDetails?.Namespace, AuthKind(user.UserCredentials), insecureTls));
        }

        if (errors.Count > 0)
        {
            return Result<KubeconfigDocument>.Failure(errors);
        }

        return contexts.Count == 0
            ? Error.Validation("contexts", "The kubeconfig has no usable context.")
            : new KubeconfigDocument(config, contexts);
    }

    private static void CheckFiles(YamlMappingNode root, string listKey, string itemKey, List<Error> errors)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out var listNode) || listNode is not YamlSequenceNode list)
        {
            return;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is not YamlMappingNode item || !item.Children.TryGetValue(new YamlScalarNode(itemKey), out var inner) || inner is not YamlMappingNode fields)
            {
                continue;
            }

            foreach (var (key, value) in fields.Children)
            {
                var name = ((YamlScalarNode)key).Value ?? string.Empty;
                if (FileFields.TryGetValue(name, out var inline) && value is YamlScalarNode { Value: { Length: > 0 } })
                {
                    errors.Add(Error.Validation(
                        $"{listKey}[{i}].{itemKey}.{name}",
                        $"'{name}' points to a file on the studio's machine, which the studio never reads. Embed the content inline as '{inline}' (e.g. kubectl config view --raw --flatten --minify)."));
                }
            }
        }
    }

    private void CheckUsers(YamlMappingNode root, List<Error> errors)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("users"), out var listNode) || listNode is not YamlSequenceNode list)
        {
            return;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is not YamlMappingNode item || !item.Children.TryGetValue(new YamlScalarNode("user"), out var inner) || inner is not YamlMappingNode user)
            {
                continue;
            }

            if (user.Children.ContainsKey(new YamlScalarNode("auth-provider")))
            {
                errors.Add(Error.Validation($"users[{i}].user.auth-provider", "'auth-provider' users run code on the studio's machine and are not supported. Use a token, a client certificate, or an allowed exec plugin."));
            }

            if (user.Children.TryGetValue(new YamlScalarNode("exec"), out var exec) && exec is YamlMappingNode execNode)
            {
                var command = execNode.Children.TryGetValue(new YamlScalarNode("command"), out var c) ? (c as YamlScalarNode)?.Value : null;
                var program = Path.GetFileName(command ?? string.Empty);
                if (string.IsNullOrEmpty(command) || command.Contains('/', StringComparison.Ordinal) || !options.Value.ExecAllowlist.Contains(program, StringComparer.Ordinal))
                {
                    var allowed = options.Value.ExecAllowlist.Length == 0 ? "none are allowed" : "allowed: " + string.Join(", ", options.Value.ExecAllowlist);
                    errors.Add(Error.Validation($"users[{i}].user.exec.command", $"The exec plugin '{command}' is not on the administrator's allowlist (Studio:Clusters:ExecAllowlist; {allowed}). It would run a program on the studio's machine."));
                }
            }
        }
    }

    private Error? CheckServer(string server, string field)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return Error.Validation(field, $"'{server}' is not an http(s) URL.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return Error.Validation(field, $"'{Redact(server)}' carries a user name or password in the URL, which would be shown and logged as the cluster's address. Put credentials in the user entry (token or client certificate).");
        }

        if (!options.Value.AllowLinkLocal && IsLinkLocalOrMetadata(uri))
        {
            return Error.Validation(field, $"'{server}' is a link-local or cloud metadata address, not a Kubernetes API server (an administrator can set Studio:Clusters:AllowLinkLocal).");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !options.Value.AllowInsecureHttp && !IsLoopback(uri))
        {
            return Error.Validation(field, $"'{server}' is plain http on a network address: credentials would cross the network unencrypted. Use https (or an administrator can set Studio:Clusters:AllowInsecureHttp).");
        }

        return null;
    }

    private static readonly string[] MetadataHosts = ["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"];

    /// <summary>169.254.0.0/16, fe80::/10, the EC2 IPv6 metadata address, Alibaba's 100.100.100.200, and metadata host names.</summary>
    public static bool IsLinkLocalOrMetadata(Uri uri)
    {
        var host = uri.Host.Trim('[', ']').TrimEnd('.');
        if (MetadataHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(host, out var ip))
        {
            return false;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var bytes = ip.GetAddressBytes();
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? (bytes[0] == 169 && bytes[1] == 254) || ip.Equals(IPAddress.Parse("100.100.100.200"))
            : ip.IsIPv6LinkLocal || ip.Equals(IPAddress.Parse("fd00:ec2::254"));
    }

    /// <summary>The server URL without any user information.</summary>
    public static string Redact(string server) =>
        Uri.TryCreate(server, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo)
            ? server.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : server;

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static string AuthKind(UserCredentials? user) => user switch
    {
        { ExternalExecution: not null } => "exec:" + Path.GetFileName(user.ExternalExecution.Command),
        { Token.Length: > 0 } => "token",
        { ClientCertificateData.Length: > 0 } => "client certificate",
        { UserName.Length: > 0 } => "basic",
        _ => "none",
    };
}
