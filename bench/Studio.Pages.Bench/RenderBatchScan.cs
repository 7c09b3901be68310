using System.Buffers.Binary;
using System.Buffers.Text;

namespace Studio.Pages.Bench;

/// <summary>
/// Reads a Blazor Server render batch (the bytes of <c>JS.RenderBatch</c>, written by the server's RenderBatchWriter,
/// read in blazor.web.js by OutOfProcessRenderBatch) only as far as its reference frames: it finds attribute frames
/// named <c>data-value</c> and returns the last numeric value. Layout: the batch ends with five little-endian int32
/// offsets (updated components, reference frames, disposed component ids, disposed event handler ids, string table);
/// reference frames are a count and 20-byte frames (int32 frame type, then type-specific data; an attribute (type 3)
/// has its name's and its value's string index in the 2nd and 3rd int32); the string table is an int32 offset per
/// string, each pointing at a LEB128-length-prefixed UTF-8 string; index -1 is null.
/// </summary>
internal static class RenderBatchScan
{
    private const int AttributeFrame = 3;
    private const int FrameLength = 20;

    private static ReadOnlySpan<byte> DataValue => "data-value"u8;

    /// <summary>The last numeric <c>data-value</c> attribute among the batch's reference frames, if any.</summary>
    public static long? FindDataValue(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < 20)
        {
            throw new InvalidDataException($"A render batch of {batch.Length} bytes is too short.");
        }

        var referenceFrames = Int(batch, batch.Length - 16);
        var stringTable = Int(batch, batch.Length - 4);
        var count = Int(batch, referenceFrames);
        long? found = null;
        for (var i = 0; i < count; i++)
        {
            var frame = referenceFrames + 4 + (i * FrameLength);
            if (Int(batch, frame) != AttributeFrame)
            {
                continue;
            }

            var name = String(batch, stringTable, Int(batch, frame + 4));
            if (!name.SequenceEqual(DataValue))
            {
                continue;
            }

            var value = String(batch, stringTable, Int(batch, frame + 8));
            if (Utf8Parser.TryParse(value, out long number, out var consumed) && consumed == value.Length)
            {
                found = number;
            }
        }

        return found;
    }

    private static int Int(ReadOnlySpan<byte> batch, int offset) => BinaryPrimitives.ReadInt32LittleEndian(batch[offset..]);

    private static ReadOnlySpan<byte> String(ReadOnlySpan<byte> batch, int stringTable, int index)
    {
        if (index < 0)
        {
            return [];
        }

        var position = Int(batch, stringTable + (index * 4));
        var length = 0;
        var shift = 0;
        byte b;
        do
        {
            b = batch[position++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        return batch.Slice(position, length);
    }
}
