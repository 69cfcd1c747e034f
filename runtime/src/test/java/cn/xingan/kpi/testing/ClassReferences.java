package cn.xingan.kpi.testing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The classes a compiled class refers to, read from its constant pool (every class whose members it
 * uses or that it names in a cast, catch or {@code instanceof} has a {@code CONSTANT_Class} entry
 * there), so a test can check that a jar links against what it will run with.
 */
final class ClassReferences {
  private ClassReferences() {}

  /** Internal names (e.g. {@code org/apache/kafka/clients/producer/KafkaProducer}). */
  static Set<String> of(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> classNameIndexes = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNameIndexes.add(in.readUnsignedShort());
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // a long or double takes two slots
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
      }
    }
    Set<String> names = new TreeSet<>();
    for (int index : classNameIndexes) {
      String name = elementType(utf8[index]);
      if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  /** {@code [[Lx/Y;} → {@code x/Y}; arrays of primitives → null; plain names unchanged. */
  private static String elementType(String name) {
    if (!name.startsWith("[")) {
      return name;
    }
    String element = name.substring(name.lastIndexOf('[') + 1);
    return element.startsWith("L") ? element.substring(1, element.length() - 1) : null;
  }
}
