using System.Reflection.Metadata;

namespace Studio.Architecture.Tests.Support;

/// <summary>The operand an IL instruction carries; plain sizes are byte counts.</summary>
internal enum IlOperand
{
    None = 0,
    One = 1,
    Two = 2,
    Four = 4,
    Eight = 8,
    Token = -1,
    Switch = -2,
}

/// <summary>Operand kinds of the ECMA-335 instruction set, enough to walk a method body and read its tokens.</summary>
internal static class IlOperands
{
    public static IlOperand Of(ILOpCode code) => code switch
    {
        ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Jmp or ILOpCode.Calli
            or ILOpCode.Ldfld or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld
            or ILOpCode.Ldtoken or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Box or ILOpCode.Unbox or ILOpCode.Unbox_any
            or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Initobj or ILOpCode.Constrained
            or ILOpCode.Sizeof or ILOpCode.Ldobj or ILOpCode.Stobj or ILOpCode.Cpobj or ILOpCode.Mkrefany or ILOpCode.Refanyval
            or ILOpCode.Ldftn or ILOpCode.Ldvirtftn or ILOpCode.Ldstr => IlOperand.Token,
        ILOpCode.Switch => IlOperand.Switch,
        ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8 => IlOperand.Eight,
        ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Br or ILOpCode.Brfalse or ILOpCode.Brtrue or ILOpCode.Beq or ILOpCode.Bge
            or ILOpCode.Bgt or ILOpCode.Ble or ILOpCode.Blt or ILOpCode.Bne_un or ILOpCode.Bge_un or ILOpCode.Bgt_un
            or ILOpCode.Ble_un or ILOpCode.Blt_un or ILOpCode.Leave => IlOperand.Four,
        ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc => IlOperand.Two,
        ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s or ILOpCode.Stloc_s
            or ILOpCode.Ldc_i4_s or ILOpCode.Br_s or ILOpCode.Brfalse_s or ILOpCode.Brtrue_s or ILOpCode.Beq_s or ILOpCode.Bge_s
            or ILOpCode.Bgt_s or ILOpCode.Ble_s or ILOpCode.Blt_s or ILOpCode.Bne_un_s or ILOpCode.Bge_un_s or ILOpCode.Bgt_un_s
            or ILOpCode.Ble_un_s or ILOpCode.Blt_un_s or ILOpCode.Leave_s or ILOpCode.Unaligned => IlOperand.One,
        _ => IlOperand.None,
    };
}
