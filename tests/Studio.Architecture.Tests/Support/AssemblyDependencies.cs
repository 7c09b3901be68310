using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Studio.Architecture.Tests.Support;

/// <summary>
/// Every type a compiled assembly's code uses, read from its metadata and IL (System.Reflection.Metadata): base types,
/// interfaces, generic constraints, field and method signatures, attributes, locals, and the type, method and field
/// tokens of every method body (calls, object creation, field access, casts, <c>typeof</c>). Nested and compiler-generated
/// types (lambdas, async state machines) count as their outermost declaring type.
/// </summary>
public static class AssemblyDependencies
{
    public static IReadOnlyList<TypeDependency> Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var assembly = reader.GetString(reader.GetAssemblyDefinition().Name);
        var collector = new ReferenceCollector(reader, assembly);
        var dependencies = new HashSet<TypeDependency>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var source = collector.Name(handle);
            if (source.Name.StartsWith('<'))
            {
                continue; // <Module>, <PrivateImplementationDetails>: compiler plumbing, not code anyone wrote.
            }

            collector.Found = [];
            Collect(reader, pe, collector, reader.GetTypeDefinition(handle));
            foreach (var target in collector.Found.Where(t => t != source))
            {
                dependencies.Add(new TypeDependency(source, target));
            }
        }

        return [.. dependencies];
    }

    /// <summary>The names of the assemblies the assembly at <paramref name="path"/> references.</summary>
    public static IReadOnlyList<string> References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return [.. reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).Order(StringComparer.Ordinal)];
    }

    private static void Collect(MetadataReader reader, PEReader pe, ReferenceCollector collector, TypeDefinition type)
    {
        if (!type.BaseType.IsNil)
        {
            collector.Add(type.BaseType);
        }

        foreach (var implementation in type.GetInterfaceImplementations())
        {
            collector.Add(reader.GetInterfaceImplementation(implementation).Interface);
        }

        Constraints(reader, collector, type.GetGenericParameters());
        Attributes(reader, collector, type.GetCustomAttributes());
        foreach (var handle in type.GetFields())
        {
            var field = reader.GetFieldDefinition(handle);
            field.DecodeSignature(collector, null);
            Attributes(reader, collector, field.GetCustomAttributes());
        }

        foreach (var handle in type.GetProperties())
        {
            Attributes(reader, collector, reader.GetPropertyDefinition(handle).GetCustomAttributes());
        }

        foreach (var handle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(handle);
            method.DecodeSignature(collector, null);
            Constraints(reader, collector, method.GetGenericParameters());
            Attributes(reader, collector, method.GetCustomAttributes());
            if (method.RelativeVirtualAddress != 0)
            {
                try
                {
                    Body(reader, collector, pe.GetMethodBody(method.RelativeVirtualAddress));
                }
                catch (BadImageFormatException e)
                {
                    throw new BadImageFormatException($"Reading {reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}.{reader.GetString(method.Name)}: {e.Message}", e);
                }
            }
        }
    }

    private static void Constraints(MetadataReader reader, ReferenceCollector collector, GenericParameterHandleCollection parameters)
    {
        foreach (var parameter in parameters)
        {
            foreach (var constraint in reader.GetGenericParameter(parameter).GetConstraints())
            {
                collector.Add(reader.GetGenericParameterConstraint(constraint).Type);
            }
        }
    }

    private static void Attributes(MetadataReader reader, ReferenceCollector collector, CustomAttributeHandleCollection attributes)
    {
        foreach (var attribute in attributes)
        {
            collector.Add(reader.GetCustomAttribute(attribute).Constructor);
        }
    }

    private static void Body(MetadataReader reader, ReferenceCollector collector, MethodBodyBlock body)
    {
        if (!body.LocalSignature.IsNil)
        {
            collector.Add(body.LocalSignature);
        }

        foreach (var region in body.ExceptionRegions.Where(r => !r.CatchType.IsNil))
        {
            collector.Add(region.CatchType);
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            var code = (ILOpCode)il.ReadByte();
            if ((int)code == 0xFE)
            {
                code = (ILOpCode)(0xFE00 | il.ReadByte());
            }

            switch (IlOperands.Of(code))
            {
                case IlOperand.Token:
                    var token = il.ReadInt32();
                    if (code != ILOpCode.Ldstr)
                    {
                        collector.Add(MetadataTokens.EntityHandle(token));
                    }

                    break;
                case IlOperand.Switch:
                    var targets = il.ReadInt32(); // read before moving: Offset += ReadInt32() would add to the old offset
                    il.Offset += 4 * targets;
                    break;
                case var operand:
                    il.Offset += (int)operand;
                    break;
            }
        }
    }
}
