using Studio.Domain.Common;

namespace Studio.Domain.Clusters;

/// <summary>A Kubernetes cluster registered with the studio. Its credentials are kept apart, encrypted, by infrastructure.</summary>
public sealed class Cluster : Entity
{
    public const int MaxLabels = 32;

    private Dictionary<string, string> _labels = new(StringComparer.Ordinal);

    private Cluster()
    {
        Name = string.Empty;
        Server = string.Empty;
    }

    private Cluster(Guid id, string name, ClusterKind kind, string server, DateTimeOffset registeredAt)
    {
        Id = id;
        Name = name;
        Kind = kind;
        Server = server;
        RegisteredAt = registeredAt;
    }

    public Guid Id { get; private set; }

    /// <summary>A DNS-1123 label, unique in the studio; how the API and pages address the cluster.</summary>
    public string Name { get; private set; }

    /// <summary>A friendlier name for pages; falls back to <see cref="Name"/>.</summary>
    public string? DisplayName { get; private set; }

    public ClusterKind Kind { get; private set; }

    /// <summary>The API server address.</summary>
    public string Server { get; private set; }

    /// <summary>The kubeconfig context the credentials came from, or the Azure resource id for AKS/Arc.</summary>
    public string? Source { get; private set; }

    public IReadOnlyDictionary<string, string> Labels => _labels;

    public DateTimeOffset RegisteredAt { get; private set; }

    public DateTimeOffset? CredentialsRotatedAt { get; private set; }

    public static Result<Cluster> Register(string? name, ClusterKind kind, string? server, DateTimeOffset now, string? source = null, string? displayName = null)
    {
        var errors = new List<Error>();
        if (Dns1123.ValidateLabel(name) is { } nameError)
        {
            errors.Add(Error.Validation("name", $"The cluster name {nameError}."));
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add(Error.Validation("server", "The API server address must be an absolute http(s) URL."));
        }

        if (displayName is { Length: > 128 })
        {
            errors.Add(Error.Validation("displayName", "The display name must be at most 128 characters."));
        }

        return errors.Count > 0
            ? Result<Cluster>.Failure(errors)
            : Result<Cluster>.Ok(new Cluster(Guid.NewGuid(), name!, kind, server!, now) { Source = source, DisplayName = Normalize(displayName) });
    }

    /// <summary>Points the cluster at a new API server address (the embedded sandbox gets a new port each run).</summary>
    public void MoveTo(string server)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out _))
        {
            throw new DomainException($"'{server}' is not an absolute URL.");
        }

        Server = server;
    }

    /// <summary>Changes what people see: display name and labels (keys are Kubernetes-style label keys).</summary>
    public Result Edit(string? displayName, IReadOnlyDictionary<string, string>? labels)
    {
        var errors = new List<Error>();
        if (displayName is { Length: > 128 })
        {
            errors.Add(Error.Validation("displayName", "The display name must be at most 128 characters."));
        }

        if (labels is not null)
        {
            if (labels.Count > MaxLabels)
            {
                errors.Add(Error.Validation("labels", $"At most {MaxLabels} labels."));
            }

            foreach (var (key, value) in labels)
            {
                if (LabelRules.ValidateKey(key) is { } keyError)
                {
                    errors.Add(Error.Validation($"labels.{key}", keyError));
                }
                else if (LabelRules.ValidateValue(value) is { } valueError)
                {
                    errors.Add(Error.Validation($"labels.{key}", valueError));
                }
            }
        }

        if (errors.Count > 0)
        {
            return Result.Failure(errors);
        }

        DisplayName = Normalize(displayName);
        if (labels is not null)
        {
            _labels = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        }

        return Result.Success();
    }

    /// <summary>
    /// True when the studio reaches the cluster with the service account of its own pod: nothing is stored, so nothing can be
    /// rotated (the mounted token is re-read when the kubelet rotates it).
    /// </summary>
    public bool UsesOwnServiceAccount => Kind == ClusterKind.InCluster;

    /// <summary>Records that the credentials were replaced, possibly pointing at a new server.</summary>
    public void CredentialsRotated(string server, DateTimeOffset now)
    {
        if (UsesOwnServiceAccount)
        {
            throw new DomainException($"Cluster '{Name}' uses the studio's own service account; it has no credentials to rotate.");
        }

        MoveTo(server);
        CredentialsRotatedAt = now;
    }

    private static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
