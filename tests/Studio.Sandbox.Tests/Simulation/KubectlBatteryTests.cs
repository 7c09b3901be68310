using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Studio.Sandbox.Tests.Simulation;

/// <summary>
/// The everyday kubectl battery of issue 17 (an IT admin trying the demo cluster): every operation in order against one
/// simulated cluster, all of which must succeed. Before this work 46 of 62 passed (create job/quota/role/rolebinding/
/// priorityclass, CronJob, PodDisruptionBudget, NetworkPolicy, Ingress, autoscale, top and explain failed).
/// </summary>
public sealed class KubectlBatteryTests : IClassFixture<SimulatedKubectl>
{
    private readonly SimulatedKubectl _k;

    public KubectlBatteryTests(SimulatedKubectl kubectl) => _k = kubectl;

    [Fact]
    public async Task EverydayKubectlOperations_AllSucceed()
    {
        KubectlFixture.RequireKubectl();
        var ns = "battery-" + Guid.NewGuid().ToString("N")[..6];
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=a.example", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var crt = _k.WriteFile(ns + ".crt", cert.ExportCertificatePem());
        var pem = _k.WriteFile(ns + ".key", key.ExportPkcs8PrivateKeyPem());
        var netpol = _k.WriteFile(ns + "-netpol.yaml", $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: deny, namespace: {ns}}}\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress]\n");
        var deploy = _k.WriteFile(ns + "-deploy.yaml", $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ssa, namespace: {{ns}}}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: ssa}
              template:
                metadata:
                  labels: {app: ssa}
                spec:
                  containers: [{name: c, image: "nginx:1.27"}]
            """);
        var node = (await _k.OkAsync("get", "nodes", "-o", "jsonpath={.items[1].metadata.name}")).Trim();
        string[][] battery =
        [
            ["version"], ["cluster-info"], ["api-resources"], ["api-versions"], ["get", "nodes"], ["get", "nodes", "-o", "wide"],
            ["describe", "node", node], ["create", "namespace", ns], ["run", "web", "--image=nginx:1.27", "-n", ns],
            ["wait", "--for=condition=Ready", "pod/web", "-n", ns, "--timeout=60s"], ["get", "pods", "-n", ns],
            ["get", "pod", "web", "-o", "yaml", "-n", ns], ["get", "pod", "web", "-n", ns, "-o", "jsonpath={.status.phase}"],
            ["describe", "pod", "web", "-n", ns], ["logs", "web", "-n", ns], ["label", "pod", "web", "tier=front", "-n", ns],
            ["annotate", "pod", "web", "note=x", "-n", ns], ["get", "pods", "-l", "tier=front", "-n", ns],
            ["get", "pods", "--field-selector", "status.phase=Running", "-n", ns], ["get", "all", "-n", ns],
            ["create", "deployment", "api", "--image=nginx:1.27", "--replicas=2", "-n", ns],
            ["rollout", "status", "deployment/api", "-n", ns, "--timeout=60s"], ["scale", "deployment", "api", "--replicas=3", "-n", ns],
            ["set", "image", "deployment/api", "nginx=nginx:1.27.1", "-n", ns], ["rollout", "history", "deployment/api", "-n", ns],
            ["rollout", "undo", "deployment/api", "-n", ns], ["expose", "deployment", "api", "--port=80", "-n", ns],
            ["get", "svc,ep", "-n", ns], ["create", "service", "clusterip", "s1", "--tcp=80:80", "-n", ns],
            ["create", "service", "nodeport", "s2", "--tcp=80:80", "-n", ns], ["create", "configmap", "cm", "--from-literal=a=1", "-n", ns],
            ["create", "secret", "generic", "sec", "--from-literal=p=x", "-n", ns],
            ["create", "secret", "docker-registry", "reg", "--docker-server=r.io", "--docker-username=u", "--docker-password=p", "-n", ns],
            ["create", "secret", "tls", "tls", "--cert=" + crt, "--key=" + pem, "-n", ns], ["create", "serviceaccount", "sa", "-n", ns],
            ["create", "job", "j1", "--image=busybox:1.36", "-n", ns, "--", "echo", "hi"],
            ["wait", "--for=condition=complete", "job/j1", "-n", ns, "--timeout=60s"],
            ["create", "cronjob", "cj", "--image=busybox:1.36", "--schedule=*/1 * * * *", "-n", ns, "--", "date"],
            ["create", "job", "j2", "--from=cronjob/cj", "-n", ns], ["create", "quota", "q", "--hard=pods=50", "-n", ns],
            ["create", "role", "r", "--verb=get", "--resource=pods", "-n", ns], ["create", "rolebinding", "rb", "--role=r", "--user=u", "-n", ns],
            ["create", "clusterrole", ns + "-cr", "--verb=get", "--resource=nodes"],
            ["create", "clusterrolebinding", ns + "-crb", "--clusterrole=" + ns + "-cr", "--user=u"],
            ["create", "priorityclass", ns + "-pc", "--value=100"], ["create", "pdb", "pdb", "--selector=app=api", "--min-available=1", "-n", ns],
            ["create", "ingress", "ing", "--rule=a.example/=api:80", "-n", ns],
            ["autoscale", "deployment", "api", "--min=1", "--max=3", "--cpu-percent=50", "-n", ns], ["get", "hpa", "-n", ns],
            ["top", "nodes"], ["top", "pods", "-n", ns], ["explain", "pod.spec.containers"], ["apply", "-f", netpol],
            ["apply", "--server-side", "-f", deploy], ["apply", "-f", deploy], ["diff", "-f", deploy],
            ["patch", "deployment", "api", "-n", ns, "-p", """{"spec":{"replicas":2}}"""], ["get", "events", "-n", ns],
            ["auth", "can-i", "create", "pods"], ["auth", "whoami"], ["cordon", node],
            ["drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s"], ["uncordon", node],
            ["delete", "pod", "web", "-n", ns], ["delete", "namespace", ns, "--timeout=60s"],
        ];

        var failures = new List<string>();
        foreach (var args in battery)
        {
            var (exit, output, error) = await _k.RunAsync(args);
            if (exit != 0 && !(args[0] == "diff" && exit == 1)) // diff exits 1 when it finds differences
            {
                failures.Add($"kubectl {string.Join(' ', args)} → {exit}: {(error + output).Trim()}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {battery.Length} operations failed:\n" + string.Join("\n", failures));
    }
}
