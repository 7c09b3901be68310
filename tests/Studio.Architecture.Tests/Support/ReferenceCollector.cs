using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Studio.Architecture.Tests.Support;

/// <summary>
/// Decodes signatures (fields, methods, locals, type specifications, member references) and records every named type
/// they mention, generic arguments included, into <see cref="Found"/>.
/// </summary>
internal sealed class ReferenceCollector(MetadataReader reader, string assembly) : ISignatureTypeProvider<object?, object?>
{
    public HashSet<TypeName> Found { get; set; } = [];

    public TypeName Name(TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var outer = type;
        var name = reader.GetString(type.Name);
        while (outer.GetDeclaringType() is { IsNil: false } declaring)
        {
            outer = reader.GetTypeDefinition(declaring);
            var outerName = reader.GetString(outer.Name);
            // Closures and state machines (<>c, <RunAsync>d__5) are their declaring type's code.
            name = name.StartsWith('<') ? outerName : $"{outerName}+{name}";
        }

        return new TypeName(reader.GetString(outer.Namespace), name, assembly);
    }

    public TypeName Name(TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            type = reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
            name = $"{reader.GetString(type.Name)}+{name}";
        }

        var scope = type.ResolutionScope.Kind == HandleKind.AssemblyReference
            ? reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name)
            : assembly;
        return new TypeName(reader.GetString(type.Namespace), name, scope);
    }

    /// <summary>Records the types a metadata token (from IL or a table) refers to.</summary>
    public void Add(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                Found.Add(Name((TypeDefinitionHandle)handle));
                break;
            case HandleKind.TypeReference:
                Found.Add(Name((TypeReferenceHandle)handle));
                break;
            case HandleKind.TypeSpecification:
                reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                break;
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                Add(member.Parent);
                if (member.GetKind() == MemberReferenceKind.Method)
                {
                    member.DecodeMethodSignature(this, null);
                }
                else
                {
                    member.DecodeFieldSignature(this, null);
                }

                break;
            case HandleKind.MethodDefinition:
                var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                Found.Add(Name(method.GetDeclaringType()));
                method.DecodeSignature(this, null);
                break;
            case HandleKind.FieldDefinition:
                var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                Found.Add(Name(field.GetDeclaringType()));
                field.DecodeSignature(this, null);
                break;
            case HandleKind.MethodSpecification:
                var spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                Add(spec.Method);
                spec.DecodeSignature(this, null);
                break;
            case HandleKind.StandaloneSignature:
                var signature = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                if (signature.GetKind() == StandaloneSignatureKind.LocalVariables)
                {
                    signature.DecodeLocalSignature(this, null);
                }
                else
                {
                    signature.DecodeMethodSignature(this, null);
                }

                break;
        }
    }

    public object? GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        Found.Add(Name(handle));
        return null;
    }

    public object? GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind)
    {
        Found.Add(Name(handle));
        return null;
    }

    public object? GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;

    public object? GetSZArrayType(object? elementType) => null;

    public object? GetArrayType(object? elementType, ArrayShape shape) => null;

    public object? GetByReferenceType(object? elementType) => null;

    public object? GetPointerType(object? elementType) => null;

    public object? GetPinnedType(object? elementType) => null;

    public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;

    public object? GetGenericMethodParameter(object? genericContext, int index) => null;

    public object? GetGenericTypeParameter(object? genericContext, int index) => null;

    public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;

    public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;
}
