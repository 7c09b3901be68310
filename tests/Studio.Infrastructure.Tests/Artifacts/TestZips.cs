using System.IO.Compression;
using System.Text;

namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>Zip files built in memory for snapshot tests: entries in the given order, optionally a symbolic link.</summary>
public static class TestZips
{
    public static MemoryStream Create(params (string Path, string Content)[] files) => Create(files, symlink: null);

    public static MemoryStream Create(IEnumerable<(string Path, string Content)> files, string? symlink, DateTimeOffset? time = null)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var entry = zip.CreateEntry(path);
                entry.LastWriteTime = time ?? DateTimeOffset.Now;
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(content);
            }

            if (symlink is not null)
            {
                var link = zip.CreateEntry(symlink);
                link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
                using var writer = new StreamWriter(link.Open());
                writer.Write("/etc/passwd");
            }
        }

        stream.Position = 0;
        return stream;
    }
}
